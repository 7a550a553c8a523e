/**
 * Temporal cues in English queries: explicit dates ("on 8 May, 2023", "May 8th 2023", "in June
 * 2022", "in 2021", "in May"), relative periods ("yesterday", "last week", "3 months ago") and
 * time questions ("When did …", "what year …"). Ranges are UTC, inclusive, epoch ms.
 */

/** A period the query refers to. A month without a year matches that month in any year. */
export type TimeCue = { kind: 'range'; start: number; end: number } | { kind: 'month'; month: number };

/** What a query says about time. */
export interface TemporalCues {
  /** The query asks for a time ("when …", "what year …", "how long ago …"). */
  asksWhen: boolean;
  /** Periods named in the query. */
  periods: TimeCue[];
  /** Character spans of the date expressions found, so they can be left out of the text match. */
  spans: Array<[number, number]>;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '((?:19|20)\\d{2})';
const DAY_MS = 86_400_000;

const monthIndex = (s: string): number => MONTHS.findIndex((m) => m.startsWith(s.toLowerCase().slice(0, 3)));

const dayRange = (y: number, m: number, d: number) => ({ kind: 'range' as const, start: Date.UTC(y, m, d), end: Date.UTC(y, m, d + 1) - 1 });
const monthRange = (y: number, m: number) => ({ kind: 'range' as const, start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) - 1 });

const ASKS_WHEN = /\b(when|what (?:year|month|date|day|time)|which (?:year|month|date|day)|how long ago|since when)\b/i;

const UNIT_MS: Record<string, number> = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS, year: 365 * DAY_MS };
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  few: 3,
  couple: 2,
};

/** Reads the temporal cues of `text`, resolving relative periods against `now`. */
export function parseTemporalCues(text: string, now: number): TemporalCues {
  const periods: TimeCue[] = [];
  const spans: Array<[number, number]> = [];
  const taken = (start: number, end: number) => spans.some(([s, e]) => start < e && end > s);
  const scan = (re: RegExp, make: (m: RegExpExecArray) => TimeCue | undefined) => {
    for (const m of text.matchAll(new RegExp(re.source, 'gi'))) {
      if (taken(m.index, m.index + m[0].length)) continue;
      const cue = make(m as RegExpExecArray);
      if (!cue) continue;
      periods.push(cue);
      spans.push([m.index, m.index + m[0].length]);
    }
  };
  scan(new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH},?\\s+${YEAR}\\b`), (m) => cueDay(m[3], m[2], m[1]));
  scan(new RegExp(`\\b${MONTH}\\s+${DAY},?\\s*${YEAR}\\b`), (m) => cueDay(m[3], m[1], m[2]));
  scan(new RegExp(`\\b${MONTH},?\\s+${YEAR}\\b`), (m) => {
    const month = monthIndex(m[1] as string);
    return month < 0 ? undefined : monthRange(Number(m[2]), month);
  });
  scan(new RegExp(`\\b(?:in|during|of|since|by)\\s+${YEAR}\\b`), (m) => ({
    kind: 'range',
    start: Date.UTC(Number(m[1]), 0, 1),
    end: Date.UTC(Number(m[1]) + 1, 0, 1) - 1,
  }));
  scan(/\b(?:in|during|of|since|by)\s+(january|february|march|april|may|june|july|august|september|october|november|december)\b/, (m) => ({
    kind: 'month',
    month: monthIndex(m[1] as string),
  }));
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  scan(/\byesterday\b/, () => ({ kind: 'range', start: today - DAY_MS, end: today - 1 }));
  scan(/\btoday\b/, () => ({ kind: 'range', start: today, end: today + DAY_MS - 1 }));
  scan(/\b(?:last|past|previous)\s+(week|month|year)\b/, (m) => {
    const unit = UNIT_MS[(m[1] as string).toLowerCase()] as number;
    return { kind: 'range', start: today - unit, end: now };
  });
  scan(/\bthis\s+(week|month|year)\b/, (m) => {
    const unit = UNIT_MS[(m[1] as string).toLowerCase()] as number;
    return { kind: 'range', start: today - unit, end: now };
  });
  scan(/\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|a couple of|couple of)\s+(day|week|month|year)s?\s+ago\b/, (m) => {
    const count = Number(m[1]) || NUMBER_WORDS[(m[1] as string).toLowerCase().replace(/^a /, '').replace(/ of$/, '')] || 1;
    const unit = UNIT_MS[(m[2] as string).toLowerCase()] as number;
    const at = now - count * unit;
    return { kind: 'range', start: at - unit / 2, end: at + unit / 2 };
  });
  return { asksWhen: ASKS_WHEN.test(text), periods, spans };
}

function cueDay(year: string | undefined, month: string | undefined, day: string | undefined): TimeCue | undefined {
  const m = monthIndex(month ?? '');
  const d = Number(day);
  if (m < 0 || !(d >= 1 && d <= 31)) return undefined;
  return dayRange(Number(year), m, d);
}

/** Words that mark a statement about time ("yesterday", "last week", weekdays, months, years). */
const TIME_WORDS = new RegExp(
  '\\b(yesterday|today|tonight|tomorrow|ago|last|next|recently|week|weekend|month|year|since|' +
    'monday|tuesday|wednesday|thursday|friday|saturday|sunday|' +
    'january|february|march|april|may|june|july|august|september|october|november|december|(?:19|20)\\d{2})\\b',
  'i',
);

/** True when `text` mentions a time (a likely answer to a "when" question). */
export function mentionsTime(text: string): boolean {
  return TIME_WORDS.test(text);
}

/**
 * How well a document's time matches the query's periods: 1 inside a period, `near` within the
 * slack after it (things are told some days after they happen), 0 otherwise.
 *
 * @param slackMs - how long after a period a mention still counts as near. Default 7 days.
 */
export function periodMatch(occurredAt: number, periods: readonly TimeCue[], slackMs = 7 * DAY_MS, near = 0.5): number {
  let best = 0;
  for (const p of periods) {
    if (p.kind === 'month') {
      if (new Date(occurredAt).getUTCMonth() === p.month) return 1;
      continue;
    }
    if (occurredAt >= p.start && occurredAt <= p.end) return 1;
    if (occurredAt > p.end && occurredAt <= p.end + slackMs) best = Math.max(best, near);
    if (occurredAt < p.start && occurredAt >= p.start - DAY_MS) best = Math.max(best, near);
  }
  return best;
}
