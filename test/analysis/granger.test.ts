import { describe, expect, it } from 'vitest';
import { grangerTest } from '../../src/analysis/granger.js';
import { leastSquares } from '../../src/analysis/least-squares.js';
import { normalRng } from './helpers.js';

/** x is AR(1); y follows x by two steps: y_t = 0.8 x_{t−2} + 0.2 y_{t−1} + 0.5 ε_t. */
function followingPair(seed: number, n: number): { x: number[]; y: number[] } {
  const z = normalRng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    x.push((t > 0 ? 0.5 * x[t - 1]! : 0) + z());
    y.push((t >= 2 ? 0.8 * x[t - 2]! : 0) + (t > 0 ? 0.2 * y[t - 1]! : 0) + 0.5 * z());
  }
  return { x, y };
}

describe('least squares', () => {
  it('recovers exact coefficients and flags collinear columns', () => {
    const rows = [
      [1, 0, 2],
      [1, 1, 0],
      [1, 2, 5],
      [1, 3, 1],
      [1, 4, 3],
    ];
    const y = rows.map((r) => 1 + 2 * r[1]! - 3 * r[2]!);
    const fit = leastSquares(rows, y);
    expect(Array.from(fit!.coefficients).map((c) => +c.toFixed(10))).toEqual([1, 2, -3]);
    expect(fit!.rss).toBeCloseTo(0, 18);
    expect(
      leastSquares(
        rows.map((r) => [1, r[1]!, 2 * r[1]!]),
        y,
      ),
    ).toBeNull();
  });
});

describe('Granger causality', () => {
  const { x, y } = followingPair(1, 200);

  it('x → y is significant at the chosen lag 2; y → x is not', () => {
    const forward = grangerTest(x, y, { causeName: 'x', effectName: 'y' });
    const backward = grangerTest(y, x, { causeName: 'y', effectName: 'x' });
    if (forward.insufficient_data || backward.insufficient_data) throw new Error('expected results');
    expect(forward.lag).toBe(2);
    expect(forward.significant).toBe(true);
    expect(forward.p_value).toBeLessThan(1e-20);
    expect(forward.interpretation).toMatch(/predictive precedence, not proof/);
    expect(backward.significant).toBe(false);
    expect(backward.p_value).toBeGreaterThan(0.05);
    expect(backward.interpretation).toMatch(/No evidence/);
  });

  it('F and p match NumPy lstsq + SciPy F on the same data', () => {
    const forward = grangerTest(x, y);
    const backward = grangerTest(y, x);
    if (forward.insufficient_data || backward.insufficient_data) throw new Error('expected results');
    // Reference: restricted vs unrestricted lstsq on t = p..n−1, scipy.stats.f.sf.
    expect(forward.f_statistic).toBeCloseTo(273.4087264800843, 8);
    expect(forward.p_value / 4.8501935882571387e-57).toBeCloseTo(1, 8);
    expect([forward.df1, forward.df2]).toEqual([2, 193]);
    expect(backward.f_statistic).toBeCloseTo(0.6402730603027166, 8);
    expect(backward.p_value).toBeCloseTo(0.42458070796133135, 8);
    expect([backward.df1, backward.df2]).toEqual([1, 196]);
    expect(forward.max_lag).toBe(10);
  });

  it('holds across seeds', () => {
    for (const seed of [2, 3, 4]) {
      const pair = followingPair(seed, 200);
      const f = grangerTest(pair.x, pair.y);
      expect(f.insufficient_data === false && f.significant).toBe(true);
    }
  });

  it('short or constant series give a message, not numbers', () => {
    expect(grangerTest([1, 2, 3, 4, 5], [2, 1, 3, 5, 4])).toMatchObject({ insufficient_data: true, required: 10 });
    const flat = grangerTest(new Array(30).fill(1), x.slice(0, 30), { causeName: 'flat' });
    expect(flat.insufficient_data && flat.message).toMatch(/flat is constant/);
  });
});
