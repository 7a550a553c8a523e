import { describe, expect, it } from 'vitest';
import { pearson, spearman } from '../../src/analysis/correlation.js';
import { olsTrend, simpleRegression } from '../../src/analysis/regression.js';
import type { Pearson, Regression, Success } from '../../src/analysis/types.js';

// Anscombe (1973), "Graphs in Statistical Analysis": four sets with the same summary statistics.
const X = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5];
const X4 = [8, 8, 8, 8, 8, 8, 8, 19, 8, 8, 8];
const SETS: Array<[string, number[], number[]]> = [
  ['I', X, [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]],
  ['II', X, [9.14, 8.14, 8.74, 8.77, 9.26, 8.1, 6.13, 3.1, 9.13, 7.26, 4.74]],
  ['III', X, [7.46, 6.77, 12.74, 7.11, 7.81, 8.84, 6.08, 5.39, 8.15, 6.42, 5.73]],
  ['IV', X4, [6.58, 5.76, 7.71, 8.84, 8.47, 7.04, 5.25, 12.5, 5.56, 7.91, 6.89]],
];

function ok<T extends { insufficient_data: boolean }>(r: T): Success<T> {
  expect(r.insufficient_data).toBe(false);
  return r as Success<T>;
}

describe("Anscombe's quartet", () => {
  it.each(SETS)('set %s: r = 0.816, slope 0.500, intercept 3.00', (_name, x, y) => {
    const fit = ok(simpleRegression(x, y)) as Success<Regression>;
    expect(fit.slope).toBeCloseTo(0.5, 3);
    expect(fit.intercept).toBeCloseTo(3.0, 2);
    expect(fit.r_squared).toBeCloseTo(0.67, 2);
    expect(fit.df).toBe(9);
    expect(fit.p_value).toBeCloseTo(0.00217, 4);
    const r = ok(pearson(x, y)) as Success<Pearson>;
    expect(Math.trunc(r.r * 1000) / 1000).toBe(0.816); // published to three decimals, truncated (set IV: 0.8165)
    expect(r.p_value).toBeCloseTo(fit.p_value, 10); // the slope and correlation t-tests coincide
  });

  it('set I matches R lm(): standard errors, t and p', () => {
    const fit = ok(simpleRegression(X, SETS[0]![2])) as Success<Regression>;
    expect(fit.slope).toBeCloseTo(0.5000909090909091, 12);
    expect(fit.intercept).toBeCloseTo(3.0000909090909103, 12);
    expect(fit.slope_std_error).toBeCloseTo(0.11790550059563408, 12);
    expect(fit.intercept_std_error).toBeCloseTo(1.1247467908086437, 12);
    expect(fit.t_statistic).toBeCloseTo(4.241, 3);
    expect(fit.p_value).toBeCloseTo(0.0021696288730787905, 12);
    expect(fit.residual_std_error).toBeCloseTo(1.237, 3);
    // 95% CI: slope ± t(0.975, 9) × SE = 0.5001 ± 2.262157 × 0.117906
    expect(fit.slope_ci.lower).toBeCloseTo(0.5000909 - 2.2621571628 * 0.1179055006, 6);
    expect(fit.slope_ci.upper).toBeCloseTo(0.5000909 + 2.2621571628 * 0.1179055006, 6);
    expect(fit.significant).toBe(true);
    expect(fit.direction).toBe('increasing');
  });

  it('Pearson interval for set I is the Fisher-z interval', () => {
    const r = ok(pearson(X, SETS[0]![2])) as Success<Pearson>;
    expect(r.ci?.lower).toBeCloseTo(0.4243912133932152, 10);
    expect(r.ci?.upper).toBeCloseTo(0.9506932537865604, 10);
  });

  it('Spearman on set I: rho = 0.818 with the t approximation (n > 9)', () => {
    const s = spearman(X, SETS[0]![2]);
    if (s.insufficient_data) throw new Error('expected a result');
    expect(s.rho).toBeCloseTo(0.8181818181818182, 12);
    expect(s.p_method).toBe('t_approximation');
    expect(s.p_value).toBeCloseTo(0.0020831448404786917, 10);
  });
});

describe('regression edge cases', () => {
  it('reports insufficient data below 3 points and for constant x', () => {
    expect(simpleRegression([1, 2], [3, 4])).toMatchObject({ insufficient_data: true, required: 3, n: 2 });
    const flat = simpleRegression([2, 2, 2], [1, 2, 3]);
    expect(flat).toMatchObject({ insufficient_data: true });
    expect(flat.insufficient_data && flat.message).toMatch(/x values that vary/);
  });

  it('an exact line gives a null t statistic, p = 0 and a note, never Infinity', () => {
    const fit = olsTrend([1, 3, 5, 7, 9]);
    if (fit.insufficient_data) throw new Error('expected a result');
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.t_statistic).toBeNull();
    expect(fit.p_value).toBe(0);
    expect(fit.notes?.[0]).toMatch(/exactly on a line/);
    expect(JSON.stringify(fit)).not.toMatch(/null.*Infinity|NaN/);
  });

  it('trend slope is per time step on the index', () => {
    const fit = olsTrend([10, 10.5, 11.2, 11.4, 12.1, 12.4]);
    if (fit.insufficient_data) throw new Error('expected a result');
    expect(fit.method).toBe('OLS linear trend');
    expect(fit.slope).toBeCloseTo(0.4857142857, 8);
  });
});
