import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AdhdRepo } from '../storage/task-repo.js';
import type { AdhdConfig, AdhdDeps, AdhdRules } from './types.js';

/** How far ahead of the clock an explicit `at` may be (clock skew between client and server). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** What the parts of the ADHD service share. */
export interface AdhdContext {
  repo: AdhdRepo;
  clock: Clock;
  logger: Logger;
  config: AdhdConfig;
  rules: AdhdRules;
  episodes: AdhdDeps['episodes'];
  memories: AdhdDeps['memories'];
  /** `at` when given (validated), else the clock. */
  timeOf(at: number | undefined, field?: string): number;
}

/** Validates an explicit time: a finite epoch that is not in the future beyond clock skew. */
export function checkedTime(clock: Clock, at: number | undefined, field = 'at'): number {
  const now = clock.now();
  if (at === undefined) return now;
  if (!Number.isFinite(at)) throw new CairnError('INVALID_INPUT', `${field}: not a valid time; use ISO-8601 such as 2026-01-05T09:30:00Z`);
  if (at > now + FUTURE_TOLERANCE_MS) {
    throw new CairnError('INVALID_INPUT', `${field}: ${new Date(at).toISOString()} is in the future (now ${new Date(now).toISOString()}); back-fill past times only`);
  }
  return at;
}
