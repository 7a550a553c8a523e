import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';
import { normalQuantile, studentTTwoSidedP } from './distributions.js';
import { tieGroupSizes } from './order-stats.js';
import { finiteOrNull, insufficient } from './result.js';
import type { Pearson, Spearman } from './types.js';

/** Largest n for which Spearman's p-value is exact (n! permutations enumerated once, then cached). */
export const SPEARMAN_EXACT_MAX_N = 9;

function checkPair(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError(`correlation: series must have equal length (got ${x.length} and ${y.length})`);
}

function isConstant(values: readonly number[]): boolean {
  return values.every((v) => v === values[0]);
}

/** t = r·√((n−2)/(1−r²)) and its two-sided p on n − 2 df; r = ±1 gives t = null, p = 0. */
function tTest(r: number, n: number): { t: number | null; p: number } {
  if (Math.abs(r) >= 1) return { t: null, p: 0 };
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { t: finiteOrNull(t), p: studentTTwoSidedP(t, n - 2) };
}

/**
 * Pearson correlation (simple-statistics `sampleCorrelation`) with a two-sided t-test of ρ = 0 on
 * n − 2 df and a Fisher-z (1 − alpha) interval (n > 3). Needs n ≥ 3 and neither series constant.
 */
export function pearson(x: readonly number[], y: readonly number[], alpha = 0.05): Pearson {
  checkPair(x, y);
  const method = 'Pearson correlation';
  const n = x.length;
  if (n < 3) return insufficient(method, n, 3);
  if (isConstant(x) || isConstant(y)) return insufficient(method, n, 3, `${method} is undefined when a series is constant.`);
  const r = Math.max(-1, Math.min(1, sampleCorrelation(x, y)));
  const { t, p } = tTest(r, n);
  const notes: string[] = [];
  let ci: { lower: number; upper: number; level: number } | null = null;
  if (n <= 3) notes.push('The Fisher-z interval needs n > 3.');
  else if (Math.abs(r) >= 1) notes.push('|r| = 1: the correlation is exact, so no interval is given.');
  else {
    const z = Math.atanh(r);
    const half = normalQuantile(1 - alpha / 2) / Math.sqrt(n - 3);
    ci = { lower: Math.tanh(z - half), upper: Math.tanh(z + half), level: 1 - alpha };
  }
  return {
    insufficient_data: false,
    method,
    n,
    assumptions: [
      'Linear association; pairs independent; approximately bivariate normal for the p-value and interval.',
      'Two-sided t-test with n − 2 degrees of freedom; interval by the Fisher z transform.',
      'Series are paired by index.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    r,
    t_statistic: t,
    df: n - 2,
    p_value: p,
    ci,
    significant: p < alpha,
  };
}

const exactCache = new Map<number, Float64Array>();

/** Distribution of D = Σ(i − π(i))² over all n! permutations: counts indexed by D. */
function exactDistribution(n: number): Float64Array {
  const cached = exactCache.get(n);
  if (cached) return cached;
  const maxD = (n * (n * n - 1)) / 3;
  const counts = new Float64Array(maxD + 1);
  const perm = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  const tally = () => {
    let d = 0;
    for (let i = 0; i < n; i++) d += (i - (perm[i] as number)) ** 2;
    counts[d] = (counts[d] as number) + 1;
  };
  tally();
  // Heap's algorithm, iterative form.
  let i = 0;
  while (i < n) {
    if ((c[i] as number) < i) {
      const j = i % 2 === 0 ? 0 : (c[i] as number);
      const tmp = perm[j] as number;
      perm[j] = perm[i] as number;
      perm[i] = tmp;
      tally();
      c[i] = (c[i] as number) + 1;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  exactCache.set(n, counts);
  return counts;
}

function exactSpearmanP(rho: number, n: number): number {
  const counts = exactDistribution(n);
  const scale = n * (n * n - 1);
  let extreme = 0;
  let total = 0;
  for (let d = 0; d < counts.length; d++) {
    const c = counts[d] as number;
    if (c === 0) continue;
    total += c;
    if (Math.abs(1 - (6 * d) / scale) >= Math.abs(rho) - 1e-12) extreme += c;
  }
  return extreme / total;
}

/**
 * Spearman rank correlation (simple-statistics `sampleRankCorrelation`, mid-ranks for ties).
 * p-value: exact two-sided permutation p for n ≤ {@link SPEARMAN_EXACT_MAX_N} without ties,
 * otherwise the t approximation t = ρ·√((n−2)/(1−ρ²)) on n − 2 df. Needs n ≥ 3.
 */
export function spearman(x: readonly number[], y: readonly number[], alpha = 0.05): Spearman {
  checkPair(x, y);
  const method = 'Spearman rank correlation';
  const n = x.length;
  if (n < 3) return insufficient(method, n, 3);
  if (isConstant(x) || isConstant(y)) return insufficient(method, n, 3, `${method} is undefined when a series is constant.`);
  const rho = Math.max(-1, Math.min(1, sampleRankCorrelation(x, y)));
  const ties = tieGroupSizes(x).length + tieGroupSizes(y).length > 0;
  const exact = n <= SPEARMAN_EXACT_MAX_N && !ties;
  const { t, p: tP } = tTest(rho, n);
  const p = exact ? exactSpearmanP(rho, n) : tP;
  const notes: string[] = [];
  if (!exact && n < 10) notes.push('Small sample with ties: the t approximation is rough.');
  return {
    insufficient_data: false,
    method,
    n,
    assumptions: [
      'Monotonic association; pairs independent; series paired by index.',
      exact
        ? `Exact two-sided permutation p-value (all ${n}! rank orders).`
        : 'Two-sided p-value from the t approximation with n − 2 degrees of freedom (ties get mid-ranks).',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    rho,
    p_value: p,
    p_method: exact ? 'exact_permutation' : 't_approximation',
    t_statistic: t,
    df: n - 2,
    significant: p < alpha,
  };
}
