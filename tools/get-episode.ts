import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { inEitherNamespace } from './layer/scope.js';
import { anyObject } from './schemas/common.js';
import { episodeToWire } from './schemas/episodes.js';

export const getEpisode = defineTool({
  name: 'get_episode',
  title: 'Get an episode',
  toolset: 'episodes',
  description: 'One episode by id: latest steps, outcome, reward and reflection.',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    step_limit: z.number().int().min(0).max(1000).optional().describe('Default 50.'),
  }),
  output: z.object({
    episode: z.looseObject({ id: z.string(), status: z.enum(['open', 'completed']), step_count: z.number(), steps: z.array(anyObject) }),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const ep = await inEitherNamespace(ctx, (ns) => ctx.services.episodes.get(ns, input.episode_id));
    return { episode: episodeToWire(ep, input.step_limit ?? 50) };
  },
  reply: {
    shrink: [
      { text: 'episode.steps.*.result.output', min: 500 },
      { text: 'episode.steps.*.result.message', min: 500 },
      { list: 'episode.steps', keep: 'last', min: 1 },
    ],
    hint: 'lower step_limit',
  },
});
