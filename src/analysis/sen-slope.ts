import { normalQuantile } from './distributions.js';
import { kendallS } from './mann-kendall.js';
import { countInversions, medianOf, selectRanks } from './order-stats.js';
import { insufficient } from './result.js';
import type { SenSlope } from './types.js';

const METHOD = "Sen's slope (Theil–Sen estimator)";

/** Above this many pairs the slopes are not materialised (8 bytes each); order statistics are found by bisection. */
export const EXPLICIT_PAIR_LIMIT = 2_000_000;

/** Values of the given integer ranks (0-based) among the pairwise slopes (x_j − x_i)/(j − i), i < j. */
type RankedSlopes = (ranks: number[]) => Map<number, number>;

/** Sample size for bracketing ranks; a sample quantile's index has standard deviation ≤ ½√m. */
const SAMPLE_SIZE = 8192;
/** Bracket half-width in sample positions: 2.5√m, five standard deviations. */
const SAMPLE_MARGIN = 2.5 * Math.sqrt(SAMPLE_SIZE);

/** Sorted slopes of pseudo-randomly chosen pairs (fixed seed, so results and timings repeat). */
function sampleSlopes(values: readonly number[]): Float64Array {
  const n = values.length;
  const size = Math.min((n * (n - 1)) / 2, SAMPLE_SIZE);
  const sample = new Float64Array(size);
  let state = 0x9e3779b9;
  const next = (): number => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 4294967296;
  };
  for (let k = 0; k < size; k++) {
    const i = Math.floor(next() * n);
    let j = Math.floor(next() * (n - 1));
    if (j >= i) j++;
    const [a, b] = i < j ? [i, j] : [j, i];
    sample[k] = ((values[b] as number) - (values[a] as number)) / (b - a);
  }
  return sample.sort();
}

function allSlopes(values: readonly number[]): Float64Array {
  const n = values.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const xi = values[i] as number;
    for (let j = i + 1; j < n; j++) slopes[p++] = ((values[j] as number) - xi) / (j - i);
  }
  return slopes;
}

/**
 * Exact order statistics without storing every slope: a sample of pair slopes brackets the wanted
 * ranks between two pivots, one pass over all pairs counts the slopes below the lower pivot and
 * keeps only those between the pivots, and selection runs on that band. If the sample misjudged the
 * bracket, it falls back to selecting among all slopes. The result is exact either way.
 */
function sampledSlopes(values: readonly number[]): RankedSlopes {
  const n = values.length;
  const pairs = (n * (n - 1)) / 2;
  return (ranks) => {
    if (ranks.length === 0) return new Map();
    const sample = sampleSlopes(values);
    const sampleSize = sample.length;
    const lowIndex = Math.floor((Math.min(...ranks) / pairs) * sampleSize - SAMPLE_MARGIN);
    const highIndex = Math.ceil((Math.max(...ranks) / pairs) * sampleSize + SAMPLE_MARGIN);
    const lowPivot = lowIndex < 0 ? -Infinity : (sample[lowIndex] as number);
    const highPivot = highIndex >= sampleSize ? Infinity : (sample[highIndex] as number);
    const capacity = Math.min(pairs, Math.ceil((1.5 * pairs * (Math.min(highIndex, sampleSize) - Math.max(lowIndex, 0))) / sampleSize) + 1024);
    const band = new Float64Array(capacity);
    let size = 0;
    let below = 0;
    for (let i = 0; i < n && size < capacity; i++) {
      const xi = values[i] as number;
      for (let j = i + 1; j < n; j++) {
        const slope = ((values[j] as number) - xi) / (j - i);
        if (slope < lowPivot) below++;
        else if (slope <= highPivot) {
          if (size === capacity) break;
          band[size++] = slope;
        }
      }
    }
    if (size === capacity || below > Math.min(...ranks) || below + size <= Math.max(...ranks)) return selectRanks(allSlopes(values), ranks);
    const inBand = selectRanks(
      band.subarray(0, size),
      ranks.map((r) => r - below),
    );
    return new Map(ranks.map((r) => [r, inBand.get(r - below) as number]));
  };
}

/**
 * The number of slopes below s equals the number of inversions of z_i = x_i − s·i, because
 * (x_j − x_i)/(j − i) < s ⟺ z_j < z_i. Bisection on s then finds any order statistic in
 * O(n log n) per step, to 1e-12 of the data range, without materialising the pairs; a sample
 * of slopes supplies a tight starting bracket.
 */
function bisectedSlopes(values: readonly number[]): RankedSlopes {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  const z = new Float64Array(values.length);
  const scratch: [Float64Array, Float64Array] = [new Float64Array(values.length), new Float64Array(values.length)];
  // Every count is remembered, so each rank starts from the tightest bracket already known
  // (the ranks come in adjacent pairs, whose brackets largely coincide).
  const known: Array<[slope: number, below: number]> = [];
  const countBelow = (s: number): number => {
    for (let i = 0; i < z.length; i++) z[i] = (values[i] as number) - s * i;
    const below = countInversions(z, scratch);
    known.push([s, below]);
    return below;
  };
  const pairs = (values.length * (values.length - 1)) / 2;
  const sample = sampleSlopes(values);
  const rank = (k: number): number => {
    if (range === 0) return 0;
    let lo = -range - 1;
    let hi = range + 1;
    const tighten = () => {
      for (const [s, below] of known) {
        if (below <= k && s > lo) lo = s;
        if (below > k && s < hi) hi = s;
      }
    };
    tighten();
    // Then try the bracket read off the sample; counting verifies (and records) its ends.
    const position = (k / pairs) * sample.length;
    const lowIndex = Math.floor(position - SAMPLE_MARGIN);
    const highIndex = Math.ceil(position + SAMPLE_MARGIN);
    if (lowIndex >= 0 && (sample[lowIndex] as number) > lo) countBelow(sample[lowIndex] as number);
    if (highIndex < sample.length && (sample[highIndex] as number) < hi) countBelow(sample[highIndex] as number);
    tighten();
    const tolerance = 1e-12 * range;
    while (hi - lo > tolerance) {
      const mid = 0.5 * (lo + hi);
      if (mid === lo || mid === hi) break;
      if (countBelow(mid) <= k) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  return (ranks) => new Map(ranks.map((k) => [k, rank(k)]));
}

/**
 * Sen's slope: the median of all pairwise slopes (per time step), the Conover intercept
 * median(x_i − slope·i), and Gilbert's (1987) rank-based (1 − alpha) confidence interval from the
 * tie-corrected Var(S): C = z_{1−α/2}·√Var(S), lower = slope of rank (N − C)/2, upper = rank
 * (N + C)/2 + 1 (fractional ranks interpolated). Needs n ≥ 3.
 * `explicitPairLimit` (default {@link EXPLICIT_PAIR_LIMIT}) picks exact selection or bisection.
 */
export function senSlope(values: readonly number[], alpha = 0.05, explicitPairLimit = EXPLICIT_PAIR_LIMIT): SenSlope {
  const n = values.length;
  if (n < 3) return insufficient(METHOD, n, 3);
  const pairs = (n * (n - 1)) / 2;
  const exact = pairs <= explicitPairLimit;
  const { varS } = kendallS(values);
  const c = normalQuantile(1 - alpha / 2) * Math.sqrt(varS);
  // 0-based fractional ranks: median, and Gilbert's bounds (1-based ranks (N − C)/2 and (N + C)/2 + 1).
  const medianRank = (pairs - 1) / 2;
  const lowerRank = (pairs - c) / 2 - 1;
  const upperRank = (pairs + c) / 2;
  const wanted = [medianRank, lowerRank, upperRank].filter((r) => r >= 0 && r <= pairs - 1);
  const integerRanks = wanted.flatMap((r) => (Number.isInteger(r) ? [r] : [Math.floor(r), Math.floor(r) + 1]));
  const found = (exact ? sampledSlopes(values) : bisectedSlopes(values))(integerRanks);
  const at = (r: number): number | null => {
    if (r < 0 || r > pairs - 1) return null;
    const lo = Math.floor(r);
    const v = found.get(lo) as number;
    return r === lo ? v : v + (r - lo) * ((found.get(lo + 1) as number) - v);
  };
  const slope = at(medianRank) as number;
  const intercept = medianOf(values.map((v, i) => v - slope * i));
  const lower = at(lowerRank);
  const upper = at(upperRank);
  const notes: string[] = [];
  if (lower === null || upper === null) notes.push('Too few pairs for a finite confidence bound at this level; the missing bound is null.');
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      'Slope is the median of the n(n−1)/2 pairwise slopes, per time step; robust to outliers (breakdown ≈ 29%).',
      'Confidence interval from the normal approximation to Kendall S (Gilbert 1987), tie-corrected.',
      exact ? 'Order statistics computed exactly.' : 'Order statistics found by bisection on pair counts, to 1e-12 of the data range.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    slope,
    intercept,
    slope_ci: { lower, upper, level: 1 - alpha },
  };
}
