import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { inEitherNamespace } from './layer/scope.js';
import { epochMs, isoTime, jsonObject } from './schemas/common.js';
import { stepResultSchema } from './schemas/episodes.js';

export const logStep = defineTool({
  name: 'log_step',
  title: 'Log an episode step',
  toolset: 'episodes',
  description: 'Record one step (tool call or action) of an open episode. Log failures too: Cairn learns most from recoveries.',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    tool: z.string().min(1).max(200),
    action: z.string().min(1).max(2000),
    parameters: jsonObject.optional().describe('Arguments or decision details.'),
    result: stepResultSchema.optional(),
    latency_ms: z.number().min(0).max(86_400_000).optional(),
    at: isoTime.optional().describe('When it happened, if not now.'),
  }),
  output: z.object({ episode_id: z.string(), step_number: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const out = await inEitherNamespace(ctx, (ns) =>
      ctx.services.episodes.logStep(ns, {
        episodeId: input.episode_id,
        tool: input.tool,
        action: input.action,
        parameters: input.parameters,
        result: input.result,
        latencyMs: input.latency_ms,
        at: epochMs(input.at),
      }),
    );
    return { episode_id: out.episodeId, step_number: out.stepNumber };
  },
});
