import { fSf } from './distributions.js';
import { choleskySolve, subSystem } from './least-squares.js';
import { finiteOrNull, insufficient } from './result.js';
import type { Granger } from './types.js';

const METHOD = 'Granger causality F-test';
/** Points needed: enough for lag 1 … 2 with a few residual degrees of freedom. */
export const GRANGER_MIN_POINTS = 10;
/** Smallest residual df accepted for a lag. */
const MIN_DF = 3;

/** Options for {@link grangerTest}. */
export interface GrangerOptions {
  alpha?: number;
  /** Largest lag considered (default min(10, ⌊n/5⌋), at least 1). */
  maxLag?: number;
  /** Names used in the interpretation (default "x" and "y"). */
  causeName?: string;
  effectName?: string;
}

function standardise(values: readonly number[]): Float64Array | null {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  return sd > 0 ? Float64Array.from(values, (v) => (v - mean) / sd) : null;
}

/**
 * XᵀX and Xᵀy for y_t on [1, y_{t−1..t−P}, x_{t−1..t−P}] over t = start..n−1. Column 0 is the
 * intercept, 1..P the effect's own lags, P+1..2P the cause's lags, so every model in the search
 * is a column subset of this one system.
 */
function lagSystem(x: Float64Array, y: Float64Array, lags: number, start: number): { gram: Float64Array; xty: Float64Array; size: number } {
  const size = 2 * lags + 1;
  const gram = new Float64Array(size * size);
  const xty = new Float64Array(size);
  const row = new Float64Array(size);
  for (let t = start; t < y.length; t++) {
    row[0] = 1;
    for (let i = 1; i <= lags; i++) {
      row[i] = y[t - i] as number;
      row[lags + i] = x[t - i] as number;
    }
    const yt = y[t] as number;
    for (let i = 0; i < size; i++) {
      const ri = row[i] as number;
      xty[i] = (xty[i] as number) + ri * yt;
      for (let j = i; j < size; j++) gram[i * size + j] = (gram[i * size + j] as number) + ri * (row[j] as number);
    }
  }
  for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) gram[i * size + j] = gram[j * size + i] as number;
  return { gram, xty, size };
}

/** RSS of the model using lags 1..p of y and (if `withCause`) of x, fitted on t = start..n−1. */
function fitRss(
  x: Float64Array,
  y: Float64Array,
  system: ReturnType<typeof lagSystem>,
  lags: number,
  p: number,
  withCause: boolean,
  start: number,
): number | null {
  const columns = [0];
  for (let i = 1; i <= p; i++) columns.push(i);
  if (withCause) for (let i = 1; i <= p; i++) columns.push(lags + i);
  const { a, r } = subSystem(system.gram, system.xty, system.size, columns);
  const b = choleskySolve(a, r, columns.length);
  if (!b) return null;
  let rss = 0;
  for (let t = start; t < y.length; t++) {
    let fitted = b[0] as number;
    for (let i = 1; i <= p; i++) {
      fitted += (b[i] as number) * (y[t - i] as number);
      if (withCause) fitted += (b[p + i] as number) * (x[t - i] as number);
    }
    rss += ((y[t] as number) - fitted) ** 2;
  }
  return rss;
}

/**
 * Does the past of `cause` help predict `effect` beyond the effect's own past? Compares, by an
 * F-test, the regression of y_t on its own p lags with one that adds p lags of x:
 *   F = ((RSS_r − RSS_u) / p) / (RSS_u / (T − 2p − 1)),  df = (p, T − 2p − 1).
 * p is chosen by BIC of the unrestricted model over lags 1..maxLag on a common sample; the test
 * then uses every observation available at that lag. Needs n ≥ 10 and equal-length series.
 */
export function grangerTest(cause: readonly number[], effect: readonly number[], options: GrangerOptions = {}): Granger {
  if (cause.length !== effect.length) throw new RangeError(`grangerTest: series must have equal length (got ${cause.length} and ${effect.length})`);
  const alpha = options.alpha ?? 0.05;
  const causeName = options.causeName ?? 'x';
  const effectName = options.effectName ?? 'y';
  const n = cause.length;
  if (n < GRANGER_MIN_POINTS) return insufficient(METHOD, n, GRANGER_MIN_POINTS);
  const x = standardise(cause);
  const y = standardise(effect);
  if (!x || !y) return insufficient(METHOD, n, GRANGER_MIN_POINTS, `${METHOD} needs both series to vary; ${!x ? causeName : effectName} is constant.`);
  let maxLag = Math.max(1, Math.min(options.maxLag ?? 10, Math.floor(n / 5)));
  while (maxLag > 1 && n - maxLag - (2 * maxLag + 1) < MIN_DF) maxLag--;
  const common = lagSystem(x, y, maxLag, maxLag);
  const sampleSize = n - maxLag;
  let lag = 0;
  let bestBic = Infinity;
  for (let p = 1; p <= maxLag; p++) {
    const rss = fitRss(x, y, common, maxLag, p, true, maxLag);
    if (rss === null) continue;
    const k = 2 * p + 1;
    const bic = sampleSize * Math.log(Math.max(rss, 1e-300) / sampleSize) + k * Math.log(sampleSize);
    if (bic < bestBic) {
      bestBic = bic;
      lag = p;
    }
  }
  if (lag === 0)
    return insufficient(
      METHOD,
      n,
      GRANGER_MIN_POINTS,
      `${METHOD}: the lagged regressors are collinear (e.g. one series is a shifted copy of the other), so the test is undefined.`,
    );
  const system = lagSystem(x, y, lag, lag);
  const rssU = fitRss(x, y, system, lag, lag, true, lag);
  const rssR = fitRss(x, y, system, lag, lag, false, lag);
  if (rssU === null || rssR === null)
    return insufficient(METHOD, n, GRANGER_MIN_POINTS, `${METHOD}: the lagged regressors are collinear, so the test is undefined.`);
  const observations = n - lag;
  const df1 = lag;
  const df2 = observations - 2 * lag - 1;
  const notes: string[] = [];
  let f: number;
  if (rssU <= 0) {
    f = rssR > 0 ? Infinity : 0;
    notes.push('The unrestricted model fits exactly; the F statistic is unbounded.');
  } else f = Math.max(0, (rssR - rssU) / df1 / (rssU / df2));
  const p = fSf(f, df1, df2);
  const significant = p < alpha;
  const pText = p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
  const interpretation = significant
    ? `Past values of ${causeName} improve the prediction of ${effectName} beyond ${effectName}'s own past (lag ${lag}, p = ${pText} < ${alpha}). This is predictive precedence, not proof that ${causeName} causes ${effectName}: a common driver or an omitted variable can produce it.`
    : `No evidence at alpha = ${alpha} that past values of ${causeName} improve the prediction of ${effectName} beyond its own past (lag ${lag}, p = ${pText}). This does not rule out a causal link (e.g. non-linear, instantaneous or at other lags).`;
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      'Both series weakly stationary (difference trending series first); linear relationships; homoscedastic, serially uncorrelated errors.',
      `Lag chosen by BIC of the unrestricted regression over lags 1..${maxLag} on a common sample; the F-test then uses all ${observations} usable observations at that lag.`,
      'Tests predictive precedence only: it says nothing about mechanism, and a hidden common cause can produce it.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    lag,
    max_lag: maxLag,
    lag_selection: 'BIC',
    f_statistic: finiteOrNull(f),
    df1,
    df2,
    p_value: p,
    significant,
    interpretation,
  };
}
