import { z } from 'zod';
import { PATTERN_KINDS } from '../src/patterns/types.js';
import { defineTool } from './define-tool.js';
import { anyObject } from './schemas/common.js';

export const analyzePatterns = defineTool({
  name: 'analyze_patterns',
  title: 'Analyze learned patterns',
  toolset: 'patterns',
  description:
    'What worked in completed episodes (tool sequences, error recoveries, decisions, contexts, heuristics), ranked by ' +
    'the Wilson bound of success. Call it before planning a known kind of task.',
  input: z.object({
    task_type: z.string().min(1).max(64).optional(),
    domain: z.string().min(1).max(100).optional(),
    kind: z.enum(PATTERN_KINDS).optional(),
    min_success_rate: z.number().min(0).max(1).optional().describe('Default 0.7.'),
    min_support: z.number().int().min(1).max(1_000_000).optional().describe('Episodes, default 2.'),
    limit: z.number().int().min(1).max(1000).optional().describe('Default 20.'),
  }),
  output: z.object({
    patterns: z.array(
      z.looseObject({ id: z.string(), kind: z.enum(PATTERN_KINDS), description: z.string(), success_rate: z.number(), occurrences: z.number() }),
    ),
    statistics: anyObject,
    ranking: z.string(),
    hidden_by_min_support: z.number().describe('Patterns passing the other filters but seen in fewer than min_support episodes.'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.patterns.analyze(ctx.namespace, {
      ...(input.task_type !== undefined ? { taskType: input.task_type } : {}),
      ...(input.domain !== undefined ? { domain: input.domain } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.min_success_rate !== undefined ? { minSuccessRate: input.min_success_rate } : {}),
      ...(input.min_support !== undefined ? { minSupport: input.min_support } : {}),
      ...(input.limit !== undefined ? { limit: input.limit } : {}),
    });
    return {
      patterns: out.patterns.map((p) => ({ ...p })),
      statistics: { ...out.statistics },
      ranking: out.ranking,
      hidden_by_min_support: out.hiddenByMinSupport,
    };
  },
  reply: {
    shrink: [
      { list: 'patterns.*.episode_ids', min: 3 },
      { list: 'patterns.*.details.evidence.episode_ids', min: 3 },
      { list: 'patterns', min: 1 },
    ],
    hint: 'lower limit, filter by task_type, domain or kind, or raise min_support',
  },
});
