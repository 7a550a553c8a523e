import { z } from 'zod';
import { TASK_COMPLEXITIES } from '../src/episodes/types.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime, jsonObject, tags } from './schemas/common.js';

export const startEpisode = defineTool({
  name: 'start_episode',
  title: 'Start an episode',
  toolset: 'episodes',
  description: 'Begin recording a multi-step task so Cairn learns what works: log_step each action, then complete_episode.',
  input: z.object({
    task: z.string().min(1).max(10_000),
    task_type: z.string().min(1).max(64).describe('e.g. debugging, refactoring.'),
    domain: z.string().min(1).max(100).describe('e.g. web-api.'),
    language: z.string().max(64).optional(),
    framework: z.string().max(64).optional(),
    tags: tags.optional(),
    complexity: z.enum(TASK_COMPLEXITIES).optional().describe('Default moderate.'),
    context: jsonObject.optional().describe('Extra JSON, ≤ 16 KB.'),
    started_at: isoTime.optional(),
  }),
  output: z.object({ episode_id: z.string(), started_at: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.episodes.start(ctx.namespace, {
      task: input.task,
      taskType: input.task_type,
      domain: input.domain,
      language: input.language,
      framework: input.framework,
      tags: input.tags,
      complexity: input.complexity,
      context: input.context,
      startedAt: epochMs(input.started_at),
    });
    return { episode_id: out.episodeId, started_at: new Date(out.startedAt).toISOString() };
  },
});
