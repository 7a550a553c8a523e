import { describe, expect, it } from 'vitest';
import { pearson, spearman } from '../../src/analysis/correlation.js';

describe('Spearman p-values', () => {
  it('exact permutation p for small n without ties (172 of 5040 orders as extreme)', () => {
    const r = spearman([1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 7, 5, 6]);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.rho).toBeCloseTo(0.8214285714285715, 12);
    expect(r.p_method).toBe('exact_permutation');
    expect(r.p_value).toBeCloseTo(172 / 5040, 12);
  });

  it('falls back to the t approximation with ties', () => {
    const r = spearman([1, 2, 2, 4, 5, 6], [1, 3, 2, 5, 4, 6]);
    expect(r.insufficient_data === false && r.p_method).toBe('t_approximation');
  });

  it('perfect rank agreement gives p = 0 exactly in the t branch, no Infinity', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    const r = spearman(
      x,
      x.map((v) => v ** 3),
    );
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.rho).toBe(1);
    expect(r.t_statistic).toBeNull();
    expect(r.p_value).toBe(0);
  });
});

describe('correlation guards', () => {
  it('constant series and short series give insufficient data with a message', () => {
    const c = pearson([1, 1, 1, 1], [1, 2, 3, 4]);
    expect(c.insufficient_data && c.message).toMatch(/constant/);
    expect(spearman([1, 2], [2, 1])).toMatchObject({ insufficient_data: true, required: 3 });
  });

  it('rejects unequal lengths (callers align series first)', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/equal length/);
  });

  it('no Fisher interval at n = 3', () => {
    const r = pearson([1, 2, 3], [1, 3, 2]);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.ci).toBeNull();
    expect(r.p_value).toBeCloseTo(0.6666666666666667, 12); // r = 0.5, t = 0.5774, df = 1
  });
});
