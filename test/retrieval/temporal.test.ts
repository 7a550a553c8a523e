import { describe, expect, it } from 'vitest';
import { mentionsTime, parseTemporalCues, periodMatch } from '../../src/retrieval/temporal.js';

const DAY = 86_400_000;
const now = Date.UTC(2023, 5, 15, 12);

describe('temporal cues', () => {
  it('reads explicit days, months and years in several orders', () => {
    const day = parseTemporalCues('What did she say on 8 May, 2023?', now).periods;
    expect(day).toEqual([{ kind: 'range', start: Date.UTC(2023, 4, 8), end: Date.UTC(2023, 4, 9) - 1 }]);
    expect(parseTemporalCues('on October 13, 2023', now).periods[0]).toMatchObject({ start: Date.UTC(2023, 9, 13) });
    expect(parseTemporalCues('on 8th December, 2023', now).periods[0]).toMatchObject({ start: Date.UTC(2023, 11, 8) });
    expect(parseTemporalCues('in July 2022', now).periods).toEqual([{ kind: 'range', start: Date.UTC(2022, 6, 1), end: Date.UTC(2022, 7, 1) - 1 }]);
    expect(parseTemporalCues('in 2021', now).periods[0]).toMatchObject({ start: Date.UTC(2021, 0, 1), end: Date.UTC(2022, 0, 1) - 1 });
    expect(parseTemporalCues('camping in June?', now).periods).toEqual([{ kind: 'month', month: 5 }]);
  });

  it('resolves relative periods against now', () => {
    const today = Date.UTC(2023, 5, 15);
    expect(parseTemporalCues('what happened yesterday', now).periods).toEqual([{ kind: 'range', start: today - DAY, end: today - 1 }]);
    expect(parseTemporalCues('notes from last week', now).periods[0]).toMatchObject({ start: today - 7 * DAY, end: now });
    const ago = parseTemporalCues('two weeks ago', now).periods[0];
    expect(ago).toMatchObject({ kind: 'range' });
    if (ago?.kind === 'range') expect(ago.start).toBeLessThan(now - 14 * DAY);
  });

  it('detects time questions and time mentions; plain text has no cues', () => {
    expect(parseTemporalCues('When did Caroline move?', now).asksWhen).toBe(true);
    expect(parseTemporalCues('What year was it?', now).asksWhen).toBe(true);
    expect(parseTemporalCues('What did Caroline research?', now)).toEqual({ asksWhen: false, periods: [], spans: [] });
    expect(mentionsTime('I went there yesterday')).toBe(true);
    expect(mentionsTime('It was a lovely place')).toBe(false);
  });

  it('matches a time inside a period, near just after it, and months of any year', () => {
    const cues = parseTemporalCues('on 8 May, 2023', now).periods;
    expect(periodMatch(Date.UTC(2023, 4, 8, 13), cues)).toBe(1);
    expect(periodMatch(Date.UTC(2023, 4, 12), cues)).toBe(0.5);
    expect(periodMatch(Date.UTC(2023, 6, 1), cues)).toBe(0);
    expect(periodMatch(Date.UTC(2019, 5, 2), [{ kind: 'month', month: 5 }])).toBe(1);
  });
});
