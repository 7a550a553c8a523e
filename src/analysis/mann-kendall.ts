import { normalSf } from './distributions.js';
import { countInversions, tieGroupSizes } from './order-stats.js';
import { insufficient } from './result.js';
import type { MannKendall } from './types.js';

const METHOD = 'Mann–Kendall trend test';

/** S and its tie-corrected variance, the inputs of both the test and Sen's slope interval. */
export interface KendallS {
  s: number;
  varS: number;
  tieGroups: number[];
}

/**
 * Mann–Kendall S = Σ_{i<j} sign(x_j − x_i) in O(n log n): with N = n(n−1)/2 pairs, T tied pairs
 * and D decreasing pairs (inversions), S = N − T − 2D. Var(S) uses the tie correction
 * [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18.
 */
export function kendallS(values: readonly number[]): KendallS {
  const n = values.length;
  const tieGroups = tieGroupSizes(values);
  let tiedPairs = 0;
  let tieTerm = 0;
  for (const t of tieGroups) {
    tiedPairs += (t * (t - 1)) / 2;
    tieTerm += t * (t - 1) * (2 * t + 5);
  }
  const pairs = (n * (n - 1)) / 2;
  const s = pairs - tiedPairs - 2 * countInversions(values);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  return { s, varS, tieGroups };
}

/**
 * Mann–Kendall test for a monotonic trend (n ≥ 3): S, tie-corrected Var(S), the continuity-
 * corrected normal score Z = (S − sign(S)) / √Var(S), a two-sided p-value and Kendall's τ-a.
 */
export function mannKendall(values: readonly number[], alpha = 0.05): MannKendall {
  const n = values.length;
  if (n < 3) return insufficient(METHOD, n, 3);
  const { s, varS, tieGroups } = kendallS(values);
  const notes: string[] = [];
  let z = 0;
  if (varS > 0) z = (s - Math.sign(s)) / Math.sqrt(varS);
  else notes.push('All values are equal: there is no trend to test.');
  if (n < 10) notes.push('With n < 10 the normal approximation is rough; treat the p-value as indicative.');
  const p = Math.min(1, 2 * normalSf(Math.abs(z)));
  const significant = p < alpha;
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      'Observations are serially independent (no autocorrelation correction is applied).',
      'Two-sided test with the normal approximation to S, continuity correction, and the tie-corrected variance.',
      'Detects monotonic (not necessarily linear) trends; τ is Kendall τ-a = S / (n(n−1)/2).',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    s,
    var_s: varS,
    z,
    p_value: p,
    tau: s / ((n * (n - 1)) / 2),
    tie_groups: tieGroups.length,
    significant,
    trend: significant ? (s > 0 ? 'increasing' : 'decreasing') : 'none',
  };
}
