import { z } from 'zod';
import { OUTCOME_TYPES } from '../src/episodes/types.js';
import { CairnError } from '../src/errors.js';
import { MEMORY_KINDS } from '../src/memory/types.js';
import { type NamespaceScope, readNamespaces } from '../src/scope/types.js';
import { memoryHit } from '../src/search/hits.js';
import { DEFAULT_MIN_SCORE } from '../src/search/relevance.js';
import { SCOPES, type SearchHit } from '../src/search/types.js';
import { defineTool } from './define-tool.js';
import { epochMs, iso, isoTime, tags } from './schemas/common.js';

const result = z.looseObject({
  type: z.enum(['memory', 'episode', 'pattern']),
  id: z.string(),
  score: z.number(),
  content: z.string().optional().describe('Memory text.'),
  summary: z.string().optional().describe('Episode or pattern summary.'),
});

/** Characters of each text in a compact reply. */
const PREVIEW_CHARS = 200;

export const queryMemory = defineTool({
  name: 'query_memory',
  title: 'Query memory',
  toolset: 'memory',
  description:
    'Search memories, past episodes and learned patterns, best first; without query, list memories newest first. ' +
    'Call it before starting work and when the user refers to the past. In a project, its memories and the global ones are searched together.',
  input: z.object({
    query: z.string().min(1).max(2000).optional().describe('Omit to list memories newest first.'),
    scope: z.array(z.enum(SCOPES)).min(1).max(3).optional().describe('Default ["memories", "episodes"].'),
    limit: z.number().int().min(1).max(100).optional().describe('Default 10.'),
    kinds: z.array(z.enum(MEMORY_KINDS)).max(5).optional(),
    tags: tags.optional().describe('All must match.'),
    task_type: z.string().max(100).optional(),
    domain: z.string().max(100).optional(),
    outcome: z.array(z.enum(OUTCOME_TYPES)).max(4).optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    compact: z.boolean().optional().describe('Short previews.'),
    explain: z.boolean().optional().describe('Add score parts.'),
    max_chars: z.number().int().min(200).max(200_000).optional().describe('Bound on the reply, in characters.'),
    min_score: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(`Relevance floor (share of the best hit), default ${DEFAULT_MIN_SCORE}; 0 returns the closest anyway.`),
    diversify: z.boolean().optional().describe('false keeps near-identical results together.'),
    include_superseded: z.boolean().optional().describe('Also superseded and merged memories.'),
    cursor: z.string().max(300).optional().describe('Listing: next_cursor of the previous page.'),
  }),
  output: z.object({
    results: z.array(result),
    count: z.number().describe('Results found; fewer are listed when truncated.'),
    truncated: z.boolean(),
    next_cursor: z.string().nullable().optional(),
    engine: z.string(),
    note: z.string().optional(),
    took_ms: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx): Promise<Reply> {
    const t0 = performance.now();
    const took = () => Math.round((performance.now() - t0) * 100) / 100;
    if (input.query === undefined) {
      if (input.scope && !input.scope.includes('memories'))
        throw new CairnError('INVALID_INPUT', 'query: required unless listing memories; add "memories" to scope or pass a query');
      const page = await ctx.services.memory.browse(
        ctx.namespace,
        {
          ...(input.kinds ? { kinds: input.kinds } : {}),
          ...(input.tags ? { tags: input.tags } : {}),
          ...(input.since ? { since: epochMs(input.since) } : {}),
          ...(input.until ? { until: epochMs(input.until) } : {}),
          ...(input.include_superseded ? { includeHidden: true } : {}),
          alsoIn: readNamespaces(ctx.scope).filter((ns) => ns !== ctx.namespace),
        },
        { limit: input.limit ?? 10, ...(input.cursor !== undefined ? { cursor: input.cursor } : {}) },
      );
      const results = page.memories.map((m) => shape({ ...memoryHit(m), namespace: m.namespace }, input.compact ?? false, false, ctx.scope));
      const note = results.length > 0 ? undefined : 'No memories match these filters.';
      return { results, count: results.length, truncated: false, next_cursor: page.nextCursor, engine: 'list', ...(note ? { note } : {}), took_ms: took() };
    }
    if (input.cursor !== undefined)
      throw new CairnError('INVALID_INPUT', 'cursor: only for listing (no query); a search returns its best results in one reply, raise limit for more');
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
      ...(input.min_score !== undefined ? { minScore: input.min_score } : {}),
      ...(input.diversify !== undefined ? { diversify: input.diversify } : {}),
      ...(input.include_superseded ? { includeSuperseded: true } : {}),
      alsoIn: readNamespaces(ctx.scope).filter((ns) => ns !== ctx.namespace),
    });
    const results = hits.map((h) => shape(h, input.compact ?? false, input.explain ?? false, ctx.scope));
    const floor = input.min_score ?? DEFAULT_MIN_SCORE;
    const note =
      results.length > 0
        ? undefined
        : floor > 0
          ? `Nothing relevant: no memory holds a word of the query or comes close in meaning (min_score ${floor}). Try other words, or min_score: 0 for the closest anyway.`
          : 'Nothing found: no memory matches these filters and scopes.';
    return { results, count: results.length, truncated: false, engine, ...(note ? { note } : {}), took_ms: took() };
  },
  reply: {
    // Long texts become 2,000-character previews before results are left out; the best results are kept.
    shrink: [
      { text: 'results.*.content', min: 2000 },
      { text: 'results.*.summary', min: 2000 },
      { list: 'results', min: 1 },
      { list: 'results.*.metadata.episode_ids', min: 3 },
      { drop: 'results.*.metadata' },
      { text: 'results.*.content' },
      { text: 'results.*.summary' },
      { list: 'results', min: 0 },
    ],
    hint: 'lower limit, add filters or use compact: true',
    limit: (input) => ({ maxChars: input.max_chars }),
  },
});

/** The reply: a search page (with a note when empty) or a listing page (with its cursor). */
type Reply = { results: Result[]; count: number; truncated: boolean; next_cursor?: string | null; engine: string; note?: string; took_ms: number };

/** One result as the client sees it (a type alias, not an interface, so it fits the loose listed schema). */
type Result = {
  type: SearchHit['type'];
  id: string;
  score: number;
  content?: string;
  summary?: string;
  tags: string[];
  kind?: string;
  task_type?: string;
  domain?: string;
  outcome?: string | null;
  reward?: number | null;
  occurred_at: string | null;
  metadata?: Record<string, unknown>;
  importance?: number;
  score_parts?: Record<string, number>;
  superseded_by?: string;
  merged_into?: string;
  scope?: 'project' | 'global';
  truncated?: boolean;
};

/** One hit as the client sees it: compact by default (no empty metadata), with score parts only when asked to explain. */
function shape(h: SearchHit, compact: boolean, explain: boolean, scope: NamespaceScope): Result {
  const cut = compact && h.text.length > PREVIEW_CHARS;
  const text = cut ? `${h.text.slice(0, PREVIEW_CHARS - 1)}…` : h.text;
  return {
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
    occurred_at: iso(h.occurredAt),
    ...(!compact && Object.keys(h.metadata).length > 0 ? { metadata: h.metadata } : {}),
    ...(explain ? { ...(h.importance !== undefined ? { importance: h.importance } : {}), score_parts: roundParts(h.parts) } : {}),
    ...(h.supersededBy !== undefined ? { superseded_by: h.supersededBy } : {}),
    ...(h.mergedInto !== undefined ? { merged_into: h.mergedInto } : {}),
    // Where it lives, when the session has a project: this project, or global (every project).
    ...(scope.project !== scope.global && h.namespace !== undefined
      ? { scope: h.namespace === scope.global ? ('global' as const) : ('project' as const) }
      : {}),
    ...(cut ? { truncated: true } : {}),
  };
}

function roundParts(parts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parts)) out[k] = Math.round(v * 10_000) / 10_000;
  return out;
}
