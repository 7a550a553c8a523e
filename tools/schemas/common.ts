import { z } from 'zod';
import { guardJson } from '../../src/json-guard.js';

/** An ISO-8601 timestamp with date and time (a time zone offset is recommended). Convert it with `epochMs`. */
export const isoTime = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 date-time such as 2026-11-21T09:30:00Z')
  .meta({ format: 'date-time' });

/** Up to 32 short tags. */
export const tags = z.array(z.string().min(1).max(64)).max(32);

/**
 * A JSON object of at most ~16 KB when serialised, nested at most `MAX_JSON_DEPTH` (32) levels,
 * without a `__proto__` key (both checked before anything walks it).
 */
export const jsonObject = guardJson(
  z.record(z.string(), z.unknown()).refine((o) => JSON.stringify(o).length <= 16_384, 'must serialise to at most 16 KB of JSON'),
);

/** In an output schema: an object whose fields vary, listed loosely to keep the catalogue small. */
export const anyObject = z.looseObject({});

/** Formats epoch ms as ISO-8601, keeping null. */
export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * Epoch ms of an `isoTime` value; undefined stays undefined. This is the only place wire time
 * text becomes a number. Whether a time may lie in the future is the service's rule, not the
 * wire's: see `happenedAt` in src/time.ts.
 */
export function epochMs(value: string): number;
export function epochMs(value: string | undefined): number | undefined;
export function epochMs(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}
