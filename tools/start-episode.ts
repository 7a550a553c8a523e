import { z } from 'zod';
import { TASK_COMPLEXITIES } from '../src/episodes/types.js';
import { epochMs, isoTime, jsonObject, tags } from './schemas/common.js';
import { defineTool } from './define-tool.js';

export const startEpisode = defineTool({
  name: 'start_episode',
  title: 'Start an episode',
  toolset: 'episodes',
  description:
    'Begin recording a unit of agent work (an "episode": one task from start to finish) so Cairn can learn what works. ' +
    'Call it when you start a non-trivial task, then log_step for each tool call or action, then complete_episode with the outcome. ' +
    'Returns the episode_id to pass to log_step and complete_episode.',
  input: z.object({
    task: z.string().min(1).max(10_000).describe('What the task is, in one or a few sentences.'),
    task_type: z
      .string()
      .min(1)
      .max(64)
      .describe('Kind of work: code_generation, debugging, refactoring, testing, analysis, documentation, or your own label.'),
    domain: z.string().min(1).max(100).describe('Area, e.g. "web-api", "data-pipeline", "personal-admin".'),
    language: z.string().max(64).optional(),
    framework: z.string().max(64).optional(),
    tags: tags.optional(),
    complexity: z.enum(TASK_COMPLEXITIES).optional().describe('simple | moderate (default) | complex.'),
    context: jsonObject.optional().describe('Any extra JSON context (≤ 16 KB, nested ≤ 32 levels).'),
    started_at: isoTime.optional().describe('When the work started, if not now (ISO-8601).'),
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
