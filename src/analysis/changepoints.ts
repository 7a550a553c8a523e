import { fCdf, fSf, studentTTwoSidedP } from './distributions.js';
import { medianOf } from './order-stats.js';
import { insufficient } from './result.js';
import type { Changepoints } from './types.js';

const METHOD = 'changepoint detection (penalised likelihood)';

/** Segment cost model: normal with changing mean and variance, or changing mean with a common σ. */
export type ChangepointCost = 'meanvar' | 'mean';

/** Options for {@link detectChangepoints}. */
export interface ChangepointOptions {
  /** Significance level for classifying each change (default 0.05). */
  alpha?: number;
  /** Cost model (default: `meanvar`, or `mean` when fewer than half the values are distinct). */
  cost?: ChangepointCost;
  /** Shortest segment allowed (default 5). */
  minSegmentLength?: number;
  /** Longest series searched exactly by PELT; longer ones use binary segmentation (default {@link PELT_MAX_N}). */
  peltMaxN?: number;
}

/** Above this length PELT's worst case (O(n²) when there are few changes) is replaced by binary segmentation. */
export const PELT_MAX_N = 1000;

type Cost = (s: number, t: number) => number;

/**
 * Optimal partition of 0..n minimising Σ cost + β per changepoint, by PELT (Killick, Fearnhead &
 * Eckley 2012) with inequality pruning. Returns segment start indices > 0.
 */
function pelt(n: number, cost: Cost, beta: number, minSeg: number): number[] {
  const best = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  const candidates = new Int32Array(n + 1);
  const totals = new Float64Array(n + 1);
  let count = 1;
  best[0] = -beta;
  for (let t = minSeg; t <= n; t++) {
    if (t - minSeg >= minSeg) candidates[count++] = t - minSeg;
    let value = Infinity;
    let arg = 0;
    for (let c = 0; c < count; c++) {
      const s = candidates[c] as number;
      const total = (best[s] as number) + cost(s, t);
      totals[c] = total;
      if (total + beta < value) {
        value = total + beta;
        arg = s;
      }
    }
    best[t] = value;
    last[t] = arg;
    let kept = 0;
    for (let c = 0; c < count; c++) if ((totals[c] as number) <= value) candidates[kept++] = candidates[c] as number;
    count = kept;
  }
  const starts: number[] = [];
  for (let t = n; t > 0; t = last[t] as number) if ((last[t] as number) > 0) starts.push(last[t] as number);
  return starts.reverse();
}

/** Binary segmentation: split a segment at its best point while the cost drops by more than β. O(n log n). */
function binarySegmentation(n: number, cost: Cost, beta: number, minSeg: number): number[] {
  const starts: number[] = [];
  const stack: Array<[number, number]> = [[0, n]];
  while (stack.length > 0) {
    const [a, b] = stack.pop() as [number, number];
    if (b - a < 2 * minSeg) continue;
    const whole = cost(a, b);
    let bestGain = -Infinity;
    let split = -1;
    for (let t = a + minSeg; t <= b - minSeg; t++) {
      const gain = whole - cost(a, t) - cost(t, b);
      if (gain > bestGain) {
        bestGain = gain;
        split = t;
      }
    }
    if (bestGain > beta) {
      starts.push(split);
      stack.push([a, split], [split, b]);
    }
  }
  return starts.sort((x, y) => x - y);
}

interface Segment {
  start: number;
  end: number;
  n: number;
  mean: number;
  sd: number;
}

function summarise(values: readonly number[], start: number, endExclusive: number): Segment {
  const m = endExclusive - start;
  let sum = 0;
  for (let i = start; i < endExclusive; i++) sum += values[i] as number;
  const mean = sum / m;
  let ss = 0;
  for (let i = start; i < endExclusive; i++) ss += ((values[i] as number) - mean) ** 2;
  return { start, end: endExclusive - 1, n: m, mean, sd: Math.sqrt(ss / (m - 1)) };
}

/** Welch t-test p-value for a difference in means; null when both segments are constant. */
function welchP(a: Segment, b: Segment): number | null {
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  if (va + vb === 0) return a.mean === b.mean ? 1 : 0;
  const t = (a.mean - b.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return studentTTwoSidedP(t, df);
}

/** Two-sided F-test p-value for equal variances; null when a segment is constant. */
function varianceP(a: Segment, b: Segment): number | null {
  if (a.sd === 0 || b.sd === 0) return null;
  const f = (a.sd * a.sd) / (b.sd * b.sd);
  return Math.min(1, 2 * Math.min(fCdf(f, a.n - 1, b.n - 1), fSf(f, a.n - 1, b.n - 1)));
}

/** Robust noise σ from first differences: MAD·1.4826/√2, falling back to their SD/√2. */
function noiseSigma(values: readonly number[]): number {
  const diffs = values.slice(1).map((v, i) => v - (values[i] as number));
  const med = medianOf(diffs);
  const mad = medianOf(diffs.map((d) => Math.abs(d - med)));
  if (mad > 0) return (1.482602218505602 * mad) / Math.SQRT2;
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / Math.max(1, diffs.length - 1));
  return sd / Math.SQRT2;
}

/**
 * Changepoints in one series by PELT (binary segmentation above `peltMaxN` points) with the
 * MBIC-style penalty β = 3·ln n per changepoint (no segment-length term, so pruning stays exact). Each change is then classified by a Welch
 * t-test (mean) and an F-test (variance) between the adjacent segments at `alpha`.
 * Needs n ≥ 2 × minimum segment length.
 */
export function detectChangepoints(values: readonly number[], options: ChangepointOptions = {}): Changepoints {
  const alpha = options.alpha ?? 0.05;
  const minSeg = options.minSegmentLength ?? 5;
  const n = values.length;
  if (n < 2 * minSeg) return insufficient(METHOD, n, 2 * minSeg);
  const distinct = new Set(values).size;
  const costName: ChangepointCost = options.cost ?? (distinct < n / 2 ? 'mean' : 'meanvar');
  const beta = 3 * Math.log(n);
  const exact = n <= (options.peltMaxN ?? PELT_MAX_N);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
  const notes: string[] = [];
  let starts: number[] = [];
  if (sd === 0) notes.push('The series is constant: no changepoints.');
  else {
    // Standardising keeps the prefix sums well conditioned; it shifts every segmentation's cost equally.
    const z = Float64Array.from(values, (v) => (v - mean) / sd);
    const s1 = new Float64Array(n + 1);
    const s2 = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      s1[i + 1] = (s1[i] as number) + (z[i] as number);
      s2[i + 1] = (s2[i] as number) + (z[i] as number) ** 2;
    }
    const sse = (s: number, t: number): number => {
      const a = (s1[t] as number) - (s1[s] as number);
      return Math.max(0, (s2[t] as number) - (s2[s] as number) - (a * a) / (t - s));
    };
    let cost: Cost;
    if (costName === 'mean') {
      const sigma = Math.max(noiseSigma(values) / sd, 1e-9);
      const inv = 1 / (sigma * sigma);
      cost = (s, t) => sse(s, t) * inv;
    } else {
      const log2pe = Math.log(2 * Math.PI) + 1;
      cost = (s, t) => (t - s) * (log2pe + Math.log(Math.max(sse(s, t) / (t - s), 1e-12)));
    }
    starts = exact ? pelt(n, cost, beta, minSeg) : binarySegmentation(n, cost, beta, minSeg);
  }
  const bounds = [0, ...starts, n];
  const segments = bounds.slice(0, -1).map((s, i) => summarise(values, s, bounds[i + 1] as number));
  const changepoints = starts.map((index, i) => {
    const before = segments[i] as Segment;
    const after = segments[i + 1] as Segment;
    const meanP = welchP(before, after);
    const varP = varianceP(before, after);
    const meanChanged = meanP !== null && meanP < alpha;
    const varChanged = varP !== null && varP < alpha;
    const kind = meanChanged && varChanged ? 'mean_and_variance' : meanChanged ? 'mean_shift' : varChanged ? 'variance_change' : 'unconfirmed';
    return {
      index,
      kind,
      mean_before: before.mean,
      mean_after: after.mean,
      sd_before: before.sd,
      sd_after: after.sd,
      mean_p_value: meanP,
      variance_p_value: varP,
    } as const;
  });
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      costName === 'meanvar'
        ? 'Cost: normal likelihood with a mean and variance per segment (−2 log L).'
        : 'Cost: normal likelihood with a mean per segment and a common σ estimated robustly from first differences (used because fewer than half the values are distinct, where per-segment variances degenerate).',
      exact
        ? 'Search: PELT (exact optimum of the penalised cost).'
        : `Search: binary segmentation (approximate; PELT is O(n²) on long series with few changes, used up to n = ${options.peltMaxN ?? PELT_MAX_N}).`,
      `Penalty β = 3·ln(n) = ${beta.toFixed(3)} per changepoint (MBIC-style), minimum segment length ${minSeg}.`,
      'Observations independent within segments; a smooth trend shows up as a staircase of changes.',
      'Kinds come from a Welch t-test (mean) and a two-sided F-test (variance) between adjacent segments; these tests are run after the segmentation chose the split, so their p-values are optimistic.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    cost: costName === 'meanvar' ? 'normal mean and variance' : 'normal mean, robust common variance',
    penalty: { name: 'MBIC (3·ln n)', value: beta },
    min_segment_length: minSeg,
    changepoints,
    segments,
  };
}
