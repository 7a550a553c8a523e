import { z } from 'zod';
import { episodeSchema, episodeToWire } from './schemas/episodes.js';
import { defineTool } from './define-tool.js';

export const getEpisode = defineTool({
  name: 'get_episode',
  title: 'Get an episode',
  toolset: 'episodes',
  description: 'Fetch one episode by id with its steps (the most recent step_limit, default 50), outcome, reward and reflection.',
  input: z.object({
    episode_id: z.string().min(1).max(64),
    step_limit: z.number().int().min(0).max(1000).optional().describe('How many of the latest steps to include, default 50.'),
  }),
  output: z.object({ episode: episodeSchema }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const ep = await ctx.services.episodes.get(ctx.namespace, input.episode_id);
    return { episode: episodeToWire(ep, input.step_limit ?? 50) };
  },
});
