/**
 * Order statistics shared by the rank-based methods: type-7 quantiles, tie groups, inversion
 * counting (O(n log n) Kendall-type pair counts), the median and several ranks at once.
 */
import { selectInPlace } from '../select.js';

/**
 * Quantile of sorted data by linear interpolation between order statistics (Hyndman & Fan type 7,
 * the default of R and NumPy). simple-statistics' `quantile` uses a different definition, so
 * quartiles here match what most users will compare against.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileSorted: empty data');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Sizes of the groups of equal values that have more than one member. */
export function tieGroupSizes(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).sort();
  const sizes: number[] = [];
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      if (run > 1) sizes.push(run);
      run = 1;
    }
  }
  return sizes;
}

/**
 * Number of pairs i < j with values[j] < values[i] (strict inversions), by merge sort in
 * O(n log n). `values` is not modified; `scratch` (two arrays of at least n) avoids allocation
 * when called repeatedly.
 */
export function countInversions(values: ArrayLike<number>, scratch?: [Float64Array, Float64Array]): number {
  const n = values.length;
  let a = scratch && scratch[0].length >= n ? scratch[0] : new Float64Array(n);
  let b = scratch && scratch[1].length >= n ? scratch[1] : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = values[i] as number;
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        // Equal values are taken from the left run first, so ties never count as inversions.
        if ((a[j] as number) < (a[i] as number)) {
          inversions += mid - i;
          b[k++] = a[j++] as number;
        } else b[k++] = a[i++] as number;
      }
      while (i < mid) b[k++] = a[i++] as number;
      while (j < right) b[k++] = a[j++] as number;
    }
    [a, b] = [b, a];
  }
  return inversions;
}

/** Median of the values (average of the two middle ones for even n); `values` is not modified. */
export function medianOf(values: ArrayLike<number>): number {
  const a = Float64Array.from(values);
  const n = a.length;
  if (n === 0) throw new RangeError('medianOf: empty data');
  const upper = selectInPlace(a, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return 0.5 * (lower + upper);
}

/**
 * Values of several ranks (0-based, any order, duplicates allowed) of `a`, which is rearranged.
 * Ranks are taken in increasing order, each searched only to the right of the previous one, and a
 * rank right after the previous is a linear minimum scan: far cheaper than independent selections.
 */
export function selectRanks(a: Float64Array, ranks: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  let from = 0;
  for (const r of [...new Set(ranks)].sort((x, y) => x - y)) {
    if (r === from) {
      let m = from;
      for (let i = from + 1; i < a.length; i++) if ((a[i] as number) < (a[m] as number)) m = i;
      const t = a[from] as number;
      a[from] = a[m] as number;
      a[m] = t;
    } else selectInPlace(a, r, from);
    out.set(r, a[r] as number);
    from = r + 1;
  }
  return out;
}
