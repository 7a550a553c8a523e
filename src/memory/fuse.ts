import type { SearchHit } from './types.js';

/** Reciprocal rank fusion of already-ranked result lists (k = 60); each hit keeps its parts. */
export function fuseLists(lists: SearchHit[][]): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const list of lists) {
    list.forEach((h, rank) => {
      const add = 1 / (60 + rank + 1);
      const prev = fused.get(h.id);
      if (prev) prev.score += add;
      else fused.set(h.id, { ...h, score: add, parts: { ...h.parts, source_score: h.score } });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
