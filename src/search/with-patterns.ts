import { reciprocalRankFusion } from '../retrieval/index.js';
import { applyFloor, minScoreOf } from './relevance.js';
import type { MemoryQuery, SearchEngine, SearchHit } from './types.js';

/** Filters a pattern search honours: the episode-context part of a query. */
export type PatternFilters = Pick<MemoryQuery, 'taskType' | 'domain' | 'tags' | 'since' | 'until'>;

/** The pattern service's full-text search, which is all pattern search needs of it. */
export interface PatternSearcher {
  searchPatterns(ns: string, query: string, filters: PatternFilters, limit: number): Promise<SearchHit[]>;
}

/**
 * Wraps any search engine so that `query_memory` with scope `patterns` also returns pattern hits:
 * the inner engine answers the other scopes, patterns come from `searchPatterns`, and the two
 * ranked lists are merged by reciprocal rank fusion (their raw scores are not comparable). The
 * inner engine's capabilities (`indexWrite`, `reindex`, `stats`, `indexStats`, `close`) pass
 * through unchanged.
 */
export function withPatternSearch(inner: SearchEngine, patterns: PatternSearcher): SearchEngine {
  return {
    ...capabilities(inner),
    name: `${inner.name}+patterns`,
    async search(ns: string, q: MemoryQuery, now: number): Promise<SearchHit[]> {
      if (!q.scope.includes('patterns')) return inner.search(ns, q, now);
      const rest = q.scope.filter((s) => s !== 'patterns');
      const [others, found] = await Promise.all([
        rest.length > 0 ? inner.search(ns, { ...q, scope: rest }, now) : Promise.resolve([]),
        patterns.searchPatterns(
          ns,
          q.query,
          {
            ...(q.taskType !== undefined ? { taskType: q.taskType } : {}),
            ...(q.domain !== undefined ? { domain: q.domain } : {}),
            ...(q.tags !== undefined ? { tags: q.tags } : {}),
            ...(q.since !== undefined ? { since: q.since } : {}),
            ...(q.until !== undefined ? { until: q.until } : {}),
          },
          q.limit,
        ),
      ]);
      // Every pattern hit holds a query word; its relevance is its bm25 share, as in the fts engine.
      return fuseHits([others, applyFloor(found, minScoreOf(q), () => ['bm25'])]).slice(0, q.limit);
    },
  };
}

/** The optional members of `engine` that it has, bound to it (wrappers pass them through). */
export function capabilities(engine: SearchEngine): Omit<SearchEngine, 'name' | 'search'> {
  return {
    ...(engine.indexWrite ? { indexWrite: engine.indexWrite.bind(engine) } : {}),
    ...(engine.reindex ? { reindex: engine.reindex.bind(engine) } : {}),
    ...(engine.stats ? { stats: engine.stats.bind(engine) } : {}),
    ...(engine.indexStats ? { indexStats: engine.indexStats.bind(engine) } : {}),
    ...(engine.close ? { close: engine.close.bind(engine) } : {}),
  };
}

/** Ranked hit lists fused by RRF (k = 60); each hit keeps its parts, plus its own score as `source_score`. */
function fuseHits(lists: SearchHit[][]): SearchHit[] {
  const first = new Map<string, SearchHit>();
  for (const list of lists) for (const h of list) if (!first.has(h.id)) first.set(h.id, h);
  const fused = reciprocalRankFusion(lists.map((list) => ({ keys: list.map((h) => h.id), weight: 1 })));
  return [...fused]
    .map(([id, score]) => {
      const h = first.get(id)!;
      return { ...h, score, parts: { ...h.parts, source_score: h.score } };
    })
    .sort((a, b) => b.score - a.score);
}
