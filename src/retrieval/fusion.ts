/** One ranked list to fuse: keys (document slots, ids…) best first, and how much the list counts. */
export interface RankedList<K = number> {
  keys: readonly K[];
  /** Multiplies this list's reciprocal-rank contributions. */
  weight: number;
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): score(d) = Σ_lists weight / (k + rank(d)),
 * rank starting at 1. Keys missing from a list get nothing from it. The map holds keys in the
 * order first seen (list by list), so a stable sort of its entries breaks ties by that order.
 *
 * @param k - rank offset; larger flattens the head of each list. Default 60.
 */
export function reciprocalRankFusion<K>(lists: readonly RankedList<K>[], k = 60): Map<K, number> {
  const fused = new Map<K, number>();
  for (const list of lists) {
    if (list.weight === 0) continue;
    list.keys.forEach((key, i) => {
      fused.set(key, (fused.get(key) ?? 0) + list.weight / (k + i + 1));
    });
  }
  return fused;
}

/** One signal to fuse by score: its value for any candidate, and how much it counts. */
export interface ScoredSignal {
  value: (key: number) => number;
  weight: number;
}

/**
 * Standardised-score fusion: each signal is turned into z-scores over the candidate pool (so a
 * BM25 score and a cosine become comparable), combined by weight and shifted so the weakest
 * candidate scores `floor` (> 0, so multiplicative priors still order candidates the signals
 * tie). A signal that is constant over the pool contributes nothing.
 *
 * @param floor - score of the weakest candidate. Default 0.5 (0.25–1 measured alike).
 */
export function zScoreFusion(pool: readonly number[], signals: readonly ScoredSignal[], floor = 0.5): Map<number, number> {
  const fused = new Map<number, number>(pool.map((key) => [key, 0]));
  if (pool.length === 0) return fused;
  for (const signal of signals) {
    if (signal.weight === 0) continue;
    const values = pool.map(signal.value);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    if (!(sd > 0)) continue;
    for (const [i, key] of pool.entries()) fused.set(key, (fused.get(key) as number) + (signal.weight * ((values[i] as number) - mean)) / sd);
  }
  const min = Math.min(...fused.values());
  for (const [key, v] of fused) fused.set(key, v - min + floor);
  return fused;
}

/** A candidate for diversification. */
export interface MmrCandidate {
  key: number;
  /** Relevance, higher is better (any positive scale). */
  score: number;
}

/** A diversified pick. */
export interface MmrPick {
  key: number;
  /** λ·relevance − (1−λ)·redundancy, on the relevance scale; non-increasing down the list. */
  score: number;
  /** Highest similarity (0..1) to an earlier pick; 0 for the first. */
  redundancy: number;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): picks `limit` candidates greedily by
 * λ·rel(d) − (1−λ)·max_{s picked} sim(d, s), relevance scaled to the best candidate. λ = 1 keeps
 * the relevance order.
 *
 * @param lambda - relevance share, 0..1. Default 0.7.
 */
export function maximalMarginalRelevance(
  candidates: readonly MmrCandidate[],
  similarity: (a: number, b: number) => number,
  limit: number,
  lambda = 0.7,
): MmrPick[] {
  const top = Math.max(...candidates.map((c) => c.score), 0) || 1;
  const remaining = candidates.map((c) => ({ key: c.key, rel: c.score / top, redundancy: 0 }));
  const picks: MmrPick[] = [];
  let ceiling = Infinity;
  while (picks.length < limit && remaining.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    remaining.forEach((c, i) => {
      const value = lambda * c.rel - (1 - lambda) * c.redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    });
    const [chosen] = remaining.splice(best, 1);
    if (!chosen) break;
    // Scores stay on the relevance scale and never rise down the list.
    ceiling = Math.min(ceiling, (bestValue / lambda) * top);
    picks.push({ key: chosen.key, score: lambda === 0 ? chosen.rel * top : ceiling, redundancy: chosen.redundancy });
    for (const c of remaining) c.redundancy = Math.max(c.redundancy, similarity(c.key, chosen.key));
  }
  return picks;
}
