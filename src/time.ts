import type { Clock } from './clock.js';
import { CairnError } from './errors.js';

/** How far ahead of the server clock a reported time may be: the skew between a client's clock and ours. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * The time of something the caller did or saw happen: `at` when given, else the clock.
 *
 * The one rule for time input: a time that says when something happened (back-filling: `at`,
 * `started_at`, `completed_at`) must be a finite epoch no more than `FUTURE_TOLERANCE_MS` (5 min)
 * after the clock. Times that describe the world rather than the caller's actions — a memory's
 * `occurred_at` (it may be an upcoming event), a `deadline`, the `since`/`until` bounds of a
 * query — may lie anywhere in time and do not pass through here. Tools parse ISO-8601 text into
 * epoch ms before calling a service (`tools/schemas/common.ts`: `isoTime`, `epochMs`).
 *
 * Throws `CairnError('INVALID_INPUT')` naming `field` (default `at`).
 */
export function happenedAt(clock: Clock, at: number | undefined, field = 'at'): number {
  const now = clock.now();
  if (at === undefined) return now;
  if (!Number.isFinite(at)) throw new CairnError('INVALID_INPUT', `${field}: not a valid time; use ISO-8601 such as 2026-01-05T09:30:00Z`);
  if (at > now + FUTURE_TOLERANCE_MS) {
    throw new CairnError(
      'INVALID_INPUT',
      `${field}: ${new Date(at).toISOString()} is in the future (now ${new Date(now).toISOString()}); back-fill past times only`,
    );
  }
  return at;
}
