import { linearRegression } from 'simple-statistics';
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { finiteOrNull, insufficient } from './result.js';
import type { Regression } from './types.js';

const METHOD = 'ordinary least squares';

/**
 * Simple linear regression y = intercept + slope·x by OLS (coefficients from simple-statistics),
 * with standard errors, a two-sided t-test of slope = 0 on n − 2 degrees of freedom and a
 * (1 − alpha) confidence interval for the slope. Needs n ≥ 3 and x not constant.
 * `method` names the result (default "ordinary least squares").
 */
export function simpleRegression(x: readonly number[], y: readonly number[], alpha = 0.05, method = METHOD): Regression {
  const n = Math.min(x.length, y.length);
  if (n < 3) return insufficient(method, n, 3);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  if (sxx === 0) return insufficient(method, n, 3, `${method} needs x values that vary; all x are equal.`);
  const pairs: number[][] = [];
  for (let i = 0; i < n; i++) pairs.push([x[i] as number, y[i] as number]);
  const { m: slope, b: intercept } = linearRegression(pairs);
  let sse = 0;
  for (let i = 0; i < n; i++) sse += ((y[i] as number) - intercept - slope * (x[i] as number)) ** 2;
  const df = n - 2;
  const residualSe = Math.sqrt(sse / df);
  const slopeSe = residualSe / Math.sqrt(sxx);
  const interceptSe = residualSe * Math.sqrt(1 / n + (mx * mx) / sxx);
  const notes: string[] = [];
  let t: number | null = null;
  let p: number;
  let halfWidth = 0;
  if (slopeSe === 0) {
    notes.push('The points lie exactly on a line: the t statistic is undefined and the slope is exact.');
    p = slope === 0 ? 1 : 0;
  } else {
    t = slope / slopeSe;
    p = studentTTwoSidedP(t, df);
    halfWidth = studentTQuantile(1 - alpha / 2, df) * slopeSe;
  }
  const significant = p < alpha;
  return {
    insufficient_data: false,
    method,
    n,
    assumptions: [
      'Linear relationship; residuals independent, homoscedastic and approximately normal.',
      `Slope test: two-sided t-test of slope = 0 with n − 2 = ${df} degrees of freedom; interval at ${fmtLevel(alpha)}.`,
    ],
    ...(notes.length > 0 ? { notes } : {}),
    slope,
    intercept,
    slope_std_error: slopeSe,
    intercept_std_error: interceptSe,
    slope_ci: { lower: slope - halfWidth, upper: slope + halfWidth, level: 1 - alpha },
    t_statistic: t === null ? null : finiteOrNull(t),
    p_value: p,
    r_squared: syy === 0 ? null : 1 - sse / syy,
    residual_std_error: residualSe,
    df,
    significant,
    direction: significant ? (slope > 0 ? 'increasing' : 'decreasing') : 'none',
  };
}

/**
 * Linear trend of a series over its index t = 0, 1, …, n − 1 (slope is per time step).
 * Same output as {@link simpleRegression}; an autocorrelation caveat is added to the assumptions.
 */
export function olsTrend(values: readonly number[], alpha = 0.05): Regression {
  const index = values.map((_, i) => i);
  const result = simpleRegression(index, values, alpha, 'OLS linear trend');
  if (result.insufficient_data) return result;
  return {
    ...result,
    assumptions: [
      'x is the time index 0..n−1, so the slope is the change per time step.',
      ...result.assumptions,
      'Serial correlation in the residuals makes the p-value optimistic; Mann–Kendall is the robust check.',
    ],
  };
}

function fmtLevel(alpha: number): string {
  return `${+(100 * (1 - alpha)).toFixed(4)}%`;
}
