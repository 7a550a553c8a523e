import { z } from 'zod';
import { OUTCOME_TYPES } from '../src/episodes/types.js';
import { epochMs, isoTime } from './schemas/common.js';
import { patternRefSchema, reflectionSchema, rewardSchema } from './schemas/episodes.js';
import { defineTool } from './define-tool.js';

const list = z.array(z.string().max(1000)).max(100);

export const completeEpisode = defineTool({
  name: 'complete_episode',
  title: 'Complete an episode',
  toolset: 'episodes',
  description:
    'Finish an open episode with its outcome. Cairn scores it (reward with every factor shown), writes a short reflection ' +
    '(successes, improvements, insights) and extracts patterns from its steps, and returns all three. ' +
    'outcome.type: success | partial_success (list completed and failed items) | failure (give reason/error_details) | abstained (chose not to act). ' +
    'Completing twice or an unknown episode is an error and changes nothing.',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    outcome: z.object({
      type: z.enum(OUTCOME_TYPES),
      verdict: z.string().max(2000).optional().describe('One-line judgement of the result.'),
      artifacts: list.optional().describe('Files or outputs produced (a test/coverage artifact raises quality).'),
      completed: list.optional().describe('Sub-goals done (partial_success).'),
      failed: list.optional().describe('Sub-goals not done (partial_success).'),
      reason: z.string().max(2000).optional(),
      error_details: z.string().max(5000).optional(),
    }),
    completed_at: isoTime.optional().describe('When the work finished, if not now.'),
  }),
  output: z.object({
    episode_id: z.string(),
    reward: rewardSchema,
    reflection: reflectionSchema,
    patterns: z.array(patternRefSchema),
    summary: z.string(),
    duration_ms: z.number(),
    step_count: z.number().int(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const { error_details: errorDetails, ...outcome } = input.outcome;
    const out = await ctx.services.episodes.complete(
      ctx.namespace,
      input.episode_id,
      { ...outcome, ...(errorDetails !== undefined ? { errorDetails } : {}) },
      epochMs(input.completed_at),
    );
    return {
      episode_id: out.episodeId,
      reward: out.reward,
      reflection: out.reflection,
      patterns: out.patterns,
      summary: out.summary,
      duration_ms: out.durationMs,
      step_count: out.stepCount,
    };
  },
});
