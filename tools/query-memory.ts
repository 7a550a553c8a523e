import { z } from 'zod';
import { MEMORY_KINDS } from '../src/memory/types.js';
import { SCOPES, type SearchHit } from '../src/search/index.js';
import { OUTCOME_TYPES } from '../src/episodes/types.js';
import { epochMs, iso, isoTime, tags } from './schemas/common.js';
import { defineTool } from './define-tool.js';

const result = z.object({
  type: z.enum(['memory', 'episode', 'pattern']),
  id: z.string(),
  score: z.number(),
  content: z.string().optional().describe('Memory text (type memory).'),
  summary: z.string().optional().describe('Episode or pattern summary.'),
  tags: z.array(z.string()),
  kind: z.string().optional(),
  task_type: z.string().optional(),
  domain: z.string().optional(),
  outcome: z.string().nullable().optional(),
  reward: z.number().nullable().optional(),
  importance: z.number().optional(),
  occurred_at: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  score_parts: z.record(z.string(), z.number()).optional().describe('Why it ranked: the parts of the score.'),
  truncated: z.boolean().optional(),
});

export const queryMemory = defineTool({
  name: 'query_memory',
  title: 'Query memory',
  toolset: 'memory',
  description:
    'Search what Cairn remembers — memories, past episodes and learned patterns — with a natural-language query. ' +
    'Call it before starting work ("what do I know about X?", "how did similar tasks go?") and whenever the user refers to something from the past. ' +
    'Results are ranked (best first), carry the parts of their score, and are bounded by limit and max_chars; use compact=true for short previews. ' +
    'Filters narrow by kind, tags, task_type, domain, outcome and time (since/until).',
  input: z.object({
    query: z.string().min(1).max(2000).describe('What to look for, in plain words.'),
    scope: z.array(z.enum(SCOPES)).min(1).max(3).optional().describe('Where to look; default ["memories", "episodes"].'),
    limit: z.number().int().min(1).max(100).optional().describe('Maximum results, 1..100, default 10.'),
    kinds: z.array(z.enum(MEMORY_KINDS)).max(5).optional().describe('Only memories of these kinds.'),
    tags: tags.optional().describe('Only items carrying all of these tags.'),
    task_type: z.string().max(100).optional().describe('Only episodes/patterns of this task type.'),
    domain: z.string().max(100).optional().describe('Only episodes/patterns of this domain.'),
    outcome: z.array(z.enum(OUTCOME_TYPES)).max(4).optional().describe('Only episodes with these outcomes.'),
    since: isoTime.optional().describe('Only items that occurred at or after this time.'),
    until: isoTime.optional().describe('Only items that occurred at or before this time.'),
    compact: z.boolean().optional().describe('Short previews (200 chars), no metadata or score parts.'),
    max_chars: z.number().int().min(200).max(200_000).optional().describe('Upper bound on the total text returned, default 20,000.'),
  }),
  output: z.object({
    results: z.array(result),
    count: z.number().int(),
    truncated: z.boolean().describe('True when results were cut to fit max_chars.'),
    engine: z.string().describe('Which retrieval path answered.'),
    took_ms: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const t0 = performance.now();
    const { hits, engine } = await ctx.services.memory.query(ctx.namespace, {
      query: input.query,
      scope: input.scope ?? ['memories', 'episodes'],
      limit: input.limit ?? 10,
      ...(input.kinds ? { kinds: input.kinds } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      ...(input.task_type ? { taskType: input.task_type } : {}),
      ...(input.domain ? { domain: input.domain } : {}),
      ...(input.outcome ? { outcomes: input.outcome } : {}),
      ...(input.since ? { since: epochMs(input.since) } : {}),
      ...(input.until ? { until: epochMs(input.until) } : {}),
    });
    const { results, truncated } = bound(hits, input.compact ?? false, input.max_chars ?? 20_000);
    return { results, count: results.length, truncated, engine, took_ms: Math.round((performance.now() - t0) * 100) / 100 };
  },
});

/** Shapes hits for the client and keeps the response within `maxChars`. */
function bound(hits: SearchHit[], compact: boolean, maxChars: number): { results: z.infer<typeof result>[]; truncated: boolean } {
  const results: z.infer<typeof result>[] = [];
  let used = 0;
  let truncated = false;
  for (const h of hits) {
    let text = h.text;
    let cut = false;
    if (compact && text.length > 200) {
      text = `${text.slice(0, 199)}…`;
      cut = true;
    }
    const room = maxChars - used;
    if (room <= 0) {
      truncated = true;
      break;
    }
    if (text.length > room) {
      text = `${text.slice(0, Math.max(0, room - 1))}…`;
      cut = true;
      truncated = true;
    }
    used += text.length + (compact ? 0 : JSON.stringify(h.metadata).length);
    results.push({
      type: h.type,
      id: h.id,
      score: Math.round(h.score * 10_000) / 10_000,
      ...(h.type === 'memory' ? { content: text } : { summary: text }),
      tags: h.tags,
      ...(h.kind !== undefined ? { kind: h.kind } : {}),
      ...(h.taskType !== undefined ? { task_type: h.taskType } : {}),
      ...(h.domain !== undefined ? { domain: h.domain } : {}),
      ...(h.outcome !== undefined ? { outcome: h.outcome } : {}),
      ...(h.reward !== undefined ? { reward: h.reward } : {}),
      ...(h.importance !== undefined && !compact ? { importance: h.importance } : {}),
      occurred_at: iso(h.occurredAt),
      ...(compact ? {} : { metadata: h.metadata, score_parts: roundParts(h.parts) }),
      ...(cut ? { truncated: true } : {}),
    });
  }
  return { results, truncated };
}

function roundParts(parts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) out[k] = Math.round(v * 10_000) / 10_000;
  return out;
}
