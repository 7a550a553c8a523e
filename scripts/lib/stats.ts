/** Summary statistics shared by the benchmark and evaluation scripts. */

/**
 * Nearest-rank quantile: the smallest sample with at least a fraction `p` of the samples at or
 * below it (p = 0.5 → median, 0.95 → p95). Sorts a copy; `xs` is left as it is.
 * @param p Fraction in (0, 1]; values at or below 0 give the minimum.
 * @returns The sample itself (no interpolation), or 0 for an empty list.
 */
export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? 0;
}
