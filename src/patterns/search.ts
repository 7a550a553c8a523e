import { fuseLists } from '../memory/fuse.js';
import type { MemoryQuery, SearchEngine, SearchHit } from '../memory/types.js';
import type { PatternService } from '../patterns/service.js';

/**
 * Wraps any search engine so that `query_memory` with scope `patterns` also returns pattern hits:
 * the inner engine answers the other scopes, patterns come from `searchPatterns`, and the two
 * ranked lists are merged by reciprocal rank fusion (their raw scores are not comparable). An engine that already searches patterns itself needs no wrapper.
 */
export function withPatternSearch(inner: SearchEngine, patterns: Pick<PatternService, 'searchPatterns'>): SearchEngine {
  return {
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
      return fuseLists([others, found]).slice(0, q.limit);
    },
  };
}
