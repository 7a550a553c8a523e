import { z } from 'zod';
import { PATTERN_KINDS } from '../src/patterns/types.js';
import { patternSchema, patternStatisticsSchema } from './schemas/patterns.js';
import { defineTool } from './define-tool.js';

export const analyzePatterns = defineTool({
  name: 'analyze_patterns',
  title: 'Analyze learned patterns',
  toolset: 'patterns',
  description:
    'List what Cairn has learned from completed episodes — tool sequences, error recoveries, decision points, context patterns and ' +
    'heuristics (condition → action with evidence) — ranked by the 95% Wilson lower bound of their success rate, so well-supported ' +
    'patterns beat lucky one-offs. Call it before planning a task of a known type ("what usually works for debugging in web-api?"). ' +
    'Filters: task_type, domain, kind, min_success_rate (default 0.7), min_support (episodes, default 2), limit (default 20). ' +
    'Statistics (mean/median/pooled success rate, counts per kind, five most common tools) are computed from the returned patterns.',
  input: z.object({
    task_type: z.string().min(1).max(64).optional().describe('Only patterns learned from this task type.'),
    domain: z.string().min(1).max(100).optional().describe('Only patterns learned in this domain.'),
    kind: z.enum(PATTERN_KINDS).optional().describe('Only this kind of pattern.'),
    min_success_rate: z.number().min(0).max(1).optional().describe('Minimum success rate, 0..1, default 0.7.'),
    min_support: z.number().int().min(1).max(1_000_000).optional().describe('Minimum occurrences (episodes), default 2.'),
    limit: z.number().int().min(1).max(1000).optional().describe('Maximum patterns, 1..1000, default 20.'),
  }),
  output: z.object({
    patterns: z.array(patternSchema),
    statistics: patternStatisticsSchema,
    ranking: z.string().describe('How the patterns are ordered.'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (input, ctx) =>
    ctx.services.patterns.analyze(ctx.namespace, {
      ...(input.task_type !== undefined ? { taskType: input.task_type } : {}),
      ...(input.domain !== undefined ? { domain: input.domain } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.min_success_rate !== undefined ? { minSuccessRate: input.min_success_rate } : {}),
      ...(input.min_support !== undefined ? { minSupport: input.min_support } : {}),
      ...(input.limit !== undefined ? { limit: input.limit } : {}),
    }),
});
