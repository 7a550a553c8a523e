import type { MemoryQuery, SearchHit } from './types.js';

/**
 * Default `min_score` of `query_memory`. On the LoCoMo dev file it costs 0.002 recall@5 (see
 * src/search/README.md); it drops the tail of weak matches and everything without evidence.
 */
export const DEFAULT_MIN_SCORE = 0.2;

/** The relevance floor a query asks for. */
export function minScoreOf(q: MemoryQuery): number {
  return q.minScore ?? DEFAULT_MIN_SCORE;
}

/**
 * Gives each hit its `relevance` part — the largest share of the best hit's value among the
 * signals `evidence` names for it (e.g. its bm25 when it matched a query word, its cosine when
 * that is close enough to count), 0 when it names none — and keeps the hits whose relevance
 * reaches `minScore` (every hit for 0).
 */
export function applyFloor(hits: SearchHit[], minScore: number, evidence: (hit: SearchHit) => Array<'bm25' | 'vector'>): SearchHit[] {
  const best = { bm25: 0, vector: 0 };
  for (const h of hits) for (const k of ['bm25', 'vector'] as const) best[k] = Math.max(best[k], h.parts[k] ?? 0);
  const scored = hits.map((h) => {
    let relevance = 0;
    for (const k of evidence(h)) if (best[k] > 0) relevance = Math.max(relevance, (h.parts[k] ?? 0) / best[k]);
    return { ...h, parts: { ...h.parts, relevance } };
  });
  return minScore > 0 ? scored.filter((h) => (h.parts.relevance as number) >= minScore) : scored;
}
