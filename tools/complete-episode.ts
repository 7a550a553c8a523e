import { z } from 'zod';
import { OUTCOME_TYPES } from '../src/episodes/types.js';
import { defineTool } from './define-tool.js';
import { inEitherNamespace } from './layer/scope.js';
import { anyObject, epochMs, isoTime } from './schemas/common.js';

const list = z.array(z.string().max(1000)).max(100);

/** Patterns listed in full in a completion; the rest are counted. */
const PATTERNS_SHOWN = 5;

export const completeEpisode = defineTool({
  name: 'complete_episode',
  title: 'Complete an episode',
  toolset: 'episodes',
  description: 'Finish an open episode with its outcome; returns the reward and its factors, a reflection and the patterns learned (counts, top few).',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    outcome: z.object({
      type: z.enum(OUTCOME_TYPES),
      verdict: z.string().max(2000).optional().describe('One-line judgement.'),
      artifacts: list.optional().describe('Files or outputs produced.'),
      completed: list.optional(),
      failed: list.optional(),
      reason: z.string().max(2000).optional(),
      error_details: z.string().max(5000).optional(),
    }),
    completed_at: isoTime.optional(),
  }),
  output: z.object({
    episode_id: z.string(),
    reward: z.looseObject({ total: z.number() }).describe('total = max(0, base) × efficiency × complexity × quality + learning_bonus, with notes.'),
    reflection: z.looseObject({ successes: z.array(z.string()), improvements: z.array(z.string()), insights: z.array(z.string()) }),
    patterns: z.array(anyObject).describe(`Top ${PATTERNS_SHOWN}, new ones first.`),
    pattern_counts: z.looseObject({ total: z.number(), new: z.number() }),
    summary: z.string(),
    duration_ms: z.number(),
    step_count: z.number(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const { error_details: errorDetails, ...outcome } = input.outcome;
    const out = await inEitherNamespace(ctx, (ns) =>
      ctx.services.episodes.complete(
        ns,
        input.episode_id,
        { ...outcome, ...(errorDetails !== undefined ? { errorDetails } : {}) },
        epochMs(input.completed_at),
      ),
    );
    const byKind: Record<string, number> = {};
    for (const p of out.patterns) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
    const top = [...out.patterns].sort((a, b) => Number(b.new) - Number(a.new) || b.occurrences - a.occurrences || b.success_rate - a.success_rate);
    return {
      episode_id: out.episodeId,
      reward: { ...out.reward },
      reflection: { ...out.reflection },
      patterns: top.slice(0, PATTERNS_SHOWN).map((p) => ({ ...p })),
      pattern_counts: { total: out.patterns.length, new: out.patterns.filter((p) => p.new).length, by_kind: byKind },
      summary: out.summary,
      duration_ms: out.durationMs,
      step_count: out.stepCount,
    };
  },
  reply: {
    shrink: [{ text: 'summary', min: 500 }, { list: 'reward.notes', min: 3 }, { text: 'patterns.*.description' }],
    hint: 'analyze_patterns lists what was learned',
  },
});
