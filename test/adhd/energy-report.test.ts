import { describe, expect, it } from 'vitest';
import { buildEnergyReport, energyTrend } from '../../src/adhd/energy-report.js';
import { assertTimeZone, localParts } from '../../src/adhd/time-zone.js';
import { type AttentionState, DEFAULT_RULES, type EnergyReading, type Task } from '../../src/adhd/types.js';

const H = 3_600_000;
const DAY = 24 * H;
const MON = Date.UTC(2026, 0, 5, 0, 0); // a Monday, 00:00 UTC
let seq = 0;
const r = (at: number, level: number, attention: AttentionState = 'neutral'): EnergyReading => ({
  id: `e${seq++}`,
  namespace: 'n',
  at,
  level,
  attention,
  mood: null,
  note: null,
  createdAt: at,
});
const step = (title: string, energy: Task['energy'], needsFocus = false) => ({ title, energy, needsFocus }) as Task;
const report = (readings: EnergyReading[], now: number, timeZone = 'UTC', openSteps: Task[] = []) =>
  buildEnergyReport({ readings, latest: readings.at(-1) ?? null, openSteps, now, timeZone, windowDays: 14, rules: DEFAULT_RULES });

describe('localParts', () => {
  it('uses the given time zone for hour and weekday', () => {
    const t = Date.UTC(2026, 0, 5, 23, 30); // Mon 23:30 UTC = Tue 00:30 in Berlin
    expect(localParts(t, 'UTC')).toEqual({ hour: 23, weekday: 0 });
    expect(localParts(t, 'Europe/Berlin')).toEqual({ hour: 0, weekday: 1 });
    expect(localParts(t, 'America/New_York')).toEqual({ hour: 18, weekday: 0 });
  });
  it('rejects an unknown zone with an actionable message', () => {
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(expect.toBeCairnError('INVALID_INPUT', /^time_zone: unknown time zone "Mars\/Olympus".*IANA/));
    expect(() => assertTimeZone('Asia/Tokyo')).not.toThrow();
  });
});

describe('energyTrend', () => {
  it('needs 4 readings over at least a day', () => {
    expect(energyTrend([r(0, 1), r(DAY, 2), r(2 * DAY, 3)]).direction).toBe('insufficient_data');
    expect(energyTrend([r(0, 1), r(H, 2), r(2 * H, 3), r(3 * H, 4)]).direction).toBe('insufficient_data');
  });
  it('reports rising, falling and steady with the slope per day', () => {
    const up = [0, 1, 2, 3].map((d) => r(d * DAY, 3 + d));
    expect(energyTrend(up)).toMatchObject({ direction: 'rising', slopePerDay: 1, n: 4 });
    expect(energyTrend(up.map((x, i) => ({ ...x, level: 9 - i }))).direction).toBe('falling');
    expect(energyTrend([0, 1, 2, 3].map((d) => r(d * DAY, 5))).direction).toBe('steady');
    // 0.09 points/day is steady, 0.11 is not (threshold 0.1)
    expect(energyTrend([0, 10, 20, 30].map((d) => r(d * DAY, 5 + d * 0.09))).direction).toBe('steady');
    expect(energyTrend([0, 10, 20, 30].map((d) => r(d * DAY, 5 + d * 0.11))).direction).toBe('rising');
  });
});

describe('buildEnergyReport', () => {
  const week = [0, 1, 2].flatMap((d) => [
    r(MON + d * DAY + 9 * H, 8, 'focused'),
    r(MON + d * DAY + 10 * H, 7, 'flow'),
    r(MON + d * DAY + 15 * H, 3, 'scattered'),
  ]);
  it('builds hour-of-day and weekday profiles with mean and n', () => {
    const rep = report(week, MON + 2 * DAY + 16 * H);
    expect(rep.hourly).toEqual([
      { key: '9', mean: 8, n: 3 },
      { key: '10', mean: 7, n: 3 },
      { key: '15', mean: 3, n: 3 },
    ]);
    expect(rep.weekday.map((b) => [b.key, b.n])).toEqual([
      ['Mon', 3],
      ['Tue', 3],
      ['Wed', 3],
    ]);
    expect(rep.mean).toBe(6);
    expect(rep.n).toBe(9);
  });
  it('shifts the profile with the time zone', () => {
    const rep = report(week, MON + 2 * DAY + 16 * H, 'Asia/Kolkata'); // UTC+5:30
    expect(rep.hourly.map((b) => b.key)).toEqual(['14', '15', '20']);
  });
  it('finds best focus windows and merges adjacent hours', () => {
    expect(report(week, MON + 3 * DAY).bestWindows).toEqual([{ startHour: 9, endHour: 11, meanLevel: 7.5, focusShare: 1, n: 6 }]);
  });
  it('needs two readings in an hour before calling it a window', () => {
    expect(report([r(MON + 9 * H, 9), r(MON + 10 * H, 2)], MON + 11 * H).bestWindows).toEqual([]);
  });
  it('lists the open steps that fit a fresh reading', () => {
    const steps = [step('easy', 'low'), step('hard', 'high'), step('focus', 'low', true)];
    const rep = report([...week], MON + 2 * DAY + 15 * H + 5 * 60_000, 'UTC', steps);
    expect(rep.current).toMatchObject({ level: 3, minutesAgo: 5, fresh: true });
    expect(rep.fitsNow.map((s) => s.title)).toEqual(['easy']);
  });
  it('notes a stale reading and offers nothing to do on it', () => {
    const rep = report(week, MON + 5 * DAY, 'UTC', [step('easy', 'low')]);
    expect(rep.current?.fresh).toBe(false);
    expect(rep.fitsNow).toEqual([]);
    expect(rep.notes.join(' ')).toContain('min old');
  });
  it('says what to do with no readings', () => {
    const rep = report([], MON);
    expect(rep).toMatchObject({ current: null, mean: null, n: 0, hourly: [], bestWindows: [] });
    expect(rep.notes[0]).toContain('log_energy');
  });
});
