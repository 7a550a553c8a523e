/** Selection by rank, shared by the statistics (medians, quantiles) and retrieval (score cut-offs). */

/**
 * Rearranges a[from..to] so that a[k] is the value of rank k within it, everything before k is ≤
 * a[k] and everything after is ≥ (Hoare quickselect, median-of-three pivot; expected O(length)).
 * Returns a[k]. The range defaults to the whole array.
 */
export function selectInPlace(a: Float64Array, k: number, from = 0, to = a.length - 1): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
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
