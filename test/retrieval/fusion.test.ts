import { describe, expect, it } from 'vitest';
import { maximalMarginalRelevance, reciprocalRankFusion, zScoreFusion } from '../../src/retrieval/fusion.js';
import { createTopK, kthLargest } from '../../src/retrieval/topk.js';

describe('reciprocal rank fusion', () => {
  it('sums weight / (k + rank) over the lists a key appears in', () => {
    const fused = reciprocalRankFusion(
      [
        { keys: [1, 2, 3], weight: 1 },
        { keys: [3, 1], weight: 0.5 },
      ],
      60,
    );
    expect(fused.get(1)).toBeCloseTo(1 / 61 + 0.5 / 62, 12);
    expect(fused.get(2)).toBeCloseTo(1 / 62, 12);
    expect(fused.get(3)).toBeCloseTo(1 / 63 + 0.5 / 61, 12);
    expect(fused.has(4)).toBe(false);
  });

  it('ignores zero-weight lists and uses k = 60 by default', () => {
    const fused = reciprocalRankFusion([
      { keys: [7], weight: 1 },
      { keys: [8], weight: 0 },
    ]);
    expect(fused.get(7)).toBeCloseTo(1 / 61, 12);
    expect(fused.has(8)).toBe(false);
  });
});

describe('z-score fusion', () => {
  it('standardises each signal over the pool, weights and shifts the weakest to the floor', () => {
    const a = new Map([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const b = new Map([
      [1, 0.9],
      [2, 0.1],
      [3, 0.5],
    ]);
    const fused = zScoreFusion(
      [1, 2, 3],
      [
        { value: (k) => a.get(k) ?? 0, weight: 1 },
        { value: (k) => b.get(k) ?? 0, weight: 0 },
      ],
      0,
    );
    const z = Math.sqrt(1.5); // (30 − 20) / sd, sd = √(200/3)
    expect(fused.get(1)).toBeCloseTo(0, 12);
    expect(fused.get(2)).toBeCloseTo(z, 12);
    expect(fused.get(3)).toBeCloseTo(2 * z, 12);
    const constant = zScoreFusion([1, 2], [{ value: () => 5, weight: 1 }]);
    expect([...constant.values()]).toEqual([0.5, 0.5]);
  });
});

describe('maximal marginal relevance', () => {
  it('pushes a near-duplicate below a distinct, slightly less relevant result', () => {
    const sim = (a: number, b: number) => (Math.min(a, b) === 1 && Math.max(a, b) === 2 ? 0.98 : 0.1);
    const picks = maximalMarginalRelevance(
      [
        { key: 1, score: 1 },
        { key: 2, score: 0.99 },
        { key: 3, score: 0.8 },
      ],
      sim,
      3,
      0.7,
    );
    expect(picks.map((p) => p.key)).toEqual([1, 3, 2]);
    expect(picks[2]?.redundancy).toBeCloseTo(0.98);
    expect(picks[0]?.score).toBe(1);
    for (let i = 1; i < picks.length; i++) expect((picks[i] as { score: number }).score).toBeLessThanOrEqual((picks[i - 1] as { score: number }).score);
  });

  it('keeps relevance order with λ = 1 and stops at the limit', () => {
    const picks = maximalMarginalRelevance(
      [
        { key: 1, score: 3 },
        { key: 2, score: 2 },
        { key: 3, score: 1 },
      ],
      () => 1,
      2,
      1,
    );
    expect(picks.map((p) => p.key)).toEqual([1, 2]);
  });
});

describe('top-k', () => {
  it('keeps the k best, best first', () => {
    const top = createTopK(3);
    for (const [key, score] of [5, 1, 9, 7, 3, 8].entries()) top.push(key, score);
    expect(top.sorted()).toEqual([
      { key: 2, score: 9 },
      { key: 5, score: 8 },
      { key: 3, score: 7 },
    ]);
    expect(top.threshold()).toBe(7);
    expect(createTopK(2).threshold()).toBe(-Infinity);
  });

  it('finds the k-th largest value by quickselect, ties and bounds included', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    for (const k of [1, 2, 10, 500, 1000]) expect(kthLargest(Float64Array.from(values), k)).toBe(1000 - k);
    expect(kthLargest(Float64Array.from([3, 3, 3, 1]), 3)).toBe(3);
    expect(kthLargest(Float64Array.from([5, 1]), 9)).toBe(1);
    expect(kthLargest(new Float64Array(0), 1)).toBe(-Infinity);
  });
});
