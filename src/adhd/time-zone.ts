import { CairnError } from '../errors.js';

/** Weekday labels in profile order. */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws INVALID_INPUT unless `tz` is an IANA time zone this runtime knows. */
export function assertTimeZone(tz: string, field = 'time_zone'): void {
  try {
    formatterFor(tz);
  } catch {
    throw new CairnError('INVALID_INPUT', `${field}: unknown time zone "${tz}"; use an IANA name such as "UTC", "Europe/Berlin" or "America/New_York"`);
  }
}

/** Local hour (0–23) and weekday index (0 = Mon … 6 = Sun) of `ms` in `tz`. */
export function localParts(ms: number, tz: string): { hour: number; weekday: number } {
  const parts = formatterFor(tz).formatToParts(new Date(ms));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const wd = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  return { hour, weekday: Math.max(0, WEEKDAYS.indexOf(wd as (typeof WEEKDAYS)[number])) };
}

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    formatters.set(tz, f);
  }
  return f;
}
