import type { MemoryKind } from '../memory/types.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import { toFtsMatch } from './fts-match.js';
import { episodeHit, memoryHit } from './hits.js';
import { applyFloor, minScoreOf } from './relevance.js';
import type { MemoryQuery, SearchEngine, SearchHit } from './types.js';

/**
 * `CAIRN_SEARCH=fts`: full-text search through SQLite FTS5 (`bm25()`), memories and episodes
 * merged by a score normalised per list (best = 1). No vectors and nothing kept per namespace: the
 * baseline the other engines are measured against. It has no diversification to turn off.
 */
export function createFtsSearch(deps: { memories: MemoryRepo; episodes: EpisodeRepo }): SearchEngine {
  return {
    name: 'fts5-bm25',
    async search(ns, q: MemoryQuery) {
      const match = toFtsMatch(q.query);
      if (!match) return [];
      const hits: SearchHit[] = [];
      // Every FTS5 row holds a query word; its relevance is its bm25 as a share of its list's best.
      const floor = (list: SearchHit[]) => hits.push(...applyFloor(list, minScoreOf(q), () => ['bm25']));
      if (q.scope.includes('memories')) {
        const rows = await deps.memories.search(
          ns,
          match,
          { kinds: q.kinds as MemoryKind[] | undefined, tags: q.tags, since: q.since, until: q.until, includeHidden: q.includeSuperseded },
          q.limit,
        );
        const best = Math.min(...rows.map((r) => r.bm25), -1e-9);
        floor(rows.map((r) => memoryHit(r, r.bm25 / best, { bm25: -r.bm25 })));
      }
      if (q.scope.includes('episodes')) {
        const rows = await deps.episodes.search(
          ns,
          match,
          { taskType: q.taskType, domain: q.domain, outcomeTypes: q.outcomes, tags: q.tags, since: q.since, until: q.until },
          q.limit,
        );
        const best = Math.min(...rows.map((r) => r.bm25), -1e-9);
        floor(rows.map((r) => episodeHit(r, r.bm25 / best, { bm25: -r.bm25 })));
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, q.limit);
    },
  };
}
