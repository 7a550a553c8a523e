import { z } from 'zod';
import { epochMs, isoTime, jsonObject } from './schemas/common.js';
import { stepResultSchema } from './schemas/episodes.js';
import { defineTool } from './define-tool.js';

export const logStep = defineTool({
  name: 'log_step',
  title: 'Log an episode step',
  toolset: 'episodes',
  description:
    'Record one step (a tool call or action) of an open episode, with its result. Steps are numbered in order by Cairn. ' +
    'Log failures too (result.type "error" or "timeout"): recoveries from errors are what Cairn learns most from. ' +
    'Fails with NOT_FOUND for an unknown episode and EPISODE_CLOSED for a completed one; nothing is written then.',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    tool: z.string().min(1).max(200).describe('Tool or capability used, e.g. "read_file", "pytest", "web_search".'),
    action: z.string().min(1).max(2000).describe('What was done with it, briefly.'),
    parameters: jsonObject.optional().describe('Arguments or decision details (JSON, ≤ 16 KB, nested ≤ 32 levels).'),
    result: stepResultSchema.optional().describe('{type: success|error|timeout, output?, message?}.'),
    latency_ms: z.number().min(0).max(86_400_000).optional().describe('How long the step took.'),
    at: isoTime.optional().describe('When the step happened, if not now.'),
  }),
  output: z.object({ episode_id: z.string(), step_number: z.number().int() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.episodes.logStep(ctx.namespace, {
      episodeId: input.episode_id,
      tool: input.tool,
      action: input.action,
      parameters: input.parameters,
      result: input.result,
      latencyMs: input.latency_ms,
      at: epochMs(input.at),
    });
    return { episode_id: out.episodeId, step_number: out.stepNumber };
  },
});
