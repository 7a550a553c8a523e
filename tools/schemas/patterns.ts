import { z } from 'zod';
import { PATTERN_KINDS } from '../../src/patterns/types.js';

/** A learned pattern with statistics computed from its counts. */
export const patternSchema = z.object({
  id: z.string(),
  kind: z.enum(PATTERN_KINDS),
  description: z.string(),
  task_type: z.string(),
  domain: z.string(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  details: z
    .record(z.string(), z.unknown())
    .describe(
      'Kind-specific fields: tools; failed_tool, error_type, recovery_tool; condition, chosen, alternatives; features; heuristics add condition, action, confidence and evidence.',
    ),
  occurrences: z.number().int().describe('Episodes that showed the pattern (for error recoveries: episodes that tried it).'),
  successes: z.number().int(),
  success_rate: z.number(),
  wilson_lower_bound: z.number().describe('95% Wilson lower bound of the success rate: the ranking score.'),
  mean_latency_ms: z.number().nullable(),
  first_seen: z.string(),
  last_seen: z.string(),
  episode_ids: z.array(z.string()).describe('Most recent supporting episodes (at most 20).'),
});

/** Statistics computed from the returned patterns. */
export const patternStatisticsSchema = z.object({
  total: z.number().int().describe('Patterns returned.'),
  matched: z.number().int().describe('Patterns passing the filters before limit.'),
  mean_success_rate: z.number().nullable().describe('Mean of the returned patterns’ success rates; null when none.'),
  median_success_rate: z.number().nullable(),
  pooled_success_rate: z.number().nullable().describe('Total successes ÷ total occurrences of the returned patterns.'),
  by_kind: z.record(z.enum(PATTERN_KINDS), z.number().int()),
  top_tools: z.array(z.object({ tool: z.string(), patterns: z.number().int(), occurrences: z.number().int() })).max(5),
});
