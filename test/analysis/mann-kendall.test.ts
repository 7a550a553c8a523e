import { describe, expect, it } from 'vitest';
import { kendallS, mannKendall } from '../../src/analysis/mann-kendall.js';
import { senSlope } from '../../src/analysis/sen-slope.js';
import { normalSeries } from './helpers.js';

/** Direct O(n²) S, for cross-checking the O(n log n) count. */
function bruteS(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) s += Math.sign(x[j]! - x[i]!);
  return s;
}

describe('Mann–Kendall', () => {
  // Worked example, n = 10, one tie group {8, 8}:
  //   S = Σ sign(x_j − x_i) = 41 increasing pairs − 3 decreasing pairs = 38 (1 tied pair scores 0)
  //   Var(S) = [10·9·25 − 2·1·9] / 18 = (2250 − 18) / 18 = 124
  //   Z = (S − 1) / √124 = 3.3227;  p = 2(1 − Φ(3.3227)) = 0.000892
  const x = [5, 7, 6, 8, 8, 10, 9, 12, 11, 13];

  it('worked example: S = 38, Var(S) = 124, Z = 3.3227, p = 0.000892', () => {
    const r = mannKendall(x);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.s).toBe(38);
    expect(r.var_s).toBe(124);
    expect(r.z).toBeCloseTo(3.322698087495336, 12);
    expect(r.p_value).toBeCloseTo(0.0008915134791795961, 12);
    expect(r.tau).toBeCloseTo(38 / 45, 12);
    expect(r.tie_groups).toBe(1);
    expect(r.trend).toBe('increasing');
  });

  it('counts S in O(n log n) exactly as the direct double loop, with ties', () => {
    const noisy = normalSeries(7, 400).map((v) => Math.round(v * 3));
    expect(kendallS(noisy).s).toBe(bruteS(noisy));
  });

  it('a decreasing series and a constant one', () => {
    const down = mannKendall([9, 8, 8.5, 7, 6, 6.5, 5, 4]);
    expect(down.insufficient_data === false && down.trend).toBe('decreasing');
    const flat = mannKendall([3, 3, 3, 3]);
    if (flat.insufficient_data) throw new Error('expected a result');
    expect(flat.p_value).toBe(1);
    expect(flat.trend).toBe('none');
    expect(mannKendall([1, 2])).toMatchObject({ insufficient_data: true, required: 3 });
  });
});

describe("Sen's slope", () => {
  it('worked example: median of 45 pairwise slopes = 0.8333, intercept 5.25, 95% CI [0.5, 1.0]', () => {
    const r = senSlope([5, 7, 6, 8, 8, 10, 9, 12, 11, 13]);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.slope).toBeCloseTo(0.8333333333333334, 12);
    expect(r.intercept).toBeCloseTo(5.25, 12);
    expect(r.slope_ci.lower).toBeCloseTo(0.5, 12);
    expect(r.slope_ci.upper).toBeCloseTo(1.0, 12);
  });

  it('the bisection path agrees with exact selection', () => {
    const z = normalSeries(11, 300);
    const series = z.map((v, i) => 0.05 * i + v);
    const exact = senSlope(series, 0.05);
    const bisected = senSlope(series, 0.05, 0);
    if (exact.insufficient_data || bisected.insufficient_data) throw new Error('expected results');
    const scale = Math.max(...series) - Math.min(...series);
    expect(Math.abs(exact.slope - bisected.slope)).toBeLessThan(1e-10 * scale);
    expect(Math.abs(exact.slope_ci.lower! - bisected.slope_ci.lower!)).toBeLessThan(1e-10 * scale);
    expect(Math.abs(exact.slope_ci.upper! - bisected.slope_ci.upper!)).toBeLessThan(1e-10 * scale);
    expect(bisected.assumptions.join(' ')).toMatch(/bisection/);
  });

  it('is robust to an outlier', () => {
    const line = Array.from({ length: 20 }, (_, i) => 2 + 0.5 * i);
    line[15] = 100;
    const r = senSlope(line);
    expect(r.insufficient_data === false && r.slope).toBeCloseTo(0.5, 12);
  });
});
