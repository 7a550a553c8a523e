/** z for a two-sided 95% interval. */
export const WILSON_Z = 1.959963984540054;

/**
 * Lower bound of the Wilson score interval for a binomial proportion: the ranking score of a
 * pattern, so 9 of 10 outranks 1 of 1. Returns 0 when there are no trials.
 */
export function wilsonLowerBound(successes: number, trials: number, z = WILSON_Z): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const margin = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, (centre - margin) / (1 + z2 / trials));
}
