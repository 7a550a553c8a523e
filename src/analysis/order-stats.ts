/**
 * Order statistics shared by the rank-based methods: type-7 quantiles, tie groups, inversion
 * counting (O(n log n) Kendall-type pair counts) and in-place selection.
 */

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
 * O(n log n). `values` is copied, not modified.
 */
export function countInversions(values: ArrayLike<number>): number {
  let a = Float64Array.from(values);
  let b = new Float64Array(a.length);
  const n = a.length;
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

/**
 * Rearranges `a` so that a[k] is the k-th smallest (0-based) value and returns it
 * (Hoare quickselect with a median-of-three pivot; expected O(n)).
 */
export function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
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
