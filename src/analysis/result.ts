import type { InsufficientData } from './types.js';

/**
 * Builds the insufficient-data answer for `method`, which needs `required` points and got `n`.
 * `message` replaces the default when the data are long enough but unusable (e.g. constant).
 */
export function insufficient(method: string, n: number, required: number, message?: string): InsufficientData {
  return {
    insufficient_data: true,
    method,
    n,
    required,
    message: message ?? `${method} needs at least ${required} points; got ${n}.`,
  };
}

/** `x` when finite, otherwise `null` (JSON has no NaN or Infinity). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** True when an outcome is the insufficient-data answer. */
export function isInsufficient<T extends { insufficient_data: boolean }>(r: T): r is Extract<T, { insufficient_data: true }> {
  return r.insufficient_data;
}
