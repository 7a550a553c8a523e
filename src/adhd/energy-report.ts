import { linearRegression, mean } from 'simple-statistics';
import { fitsEnergy } from './energy-fit.js';
import { localParts, WEEKDAYS } from './time-zone.js';
import type { AdhdRules, EnergyReading, EnergyReport, EnergyTrend, FocusWindow, ProfileBucket, Task } from './types.js';

const DAY = 86_400_000;
const FOCUSED = new Set(['focused', 'flow', 'hyperfocus']);

/** A slope smaller than this (points per day) is "steady". */
export const STEADY_SLOPE_PER_DAY = 0.1;
/** Readings an hour needs before it can be a best focus window. */
export const MIN_READINGS_PER_WINDOW_HOUR = 2;

export interface EnergyReportInput {
  readings: readonly EnergyReading[];
  latest: EnergyReading | null;
  openSteps: readonly Task[];
  now: number;
  timeZone: string;
  windowDays: number;
  rules: Pick<AdhdRules, 'energyFreshMinutes'>;
}

/**
 * Summarises energy readings: the current state, a least-squares trend (points per day, needs ≥ 4
 * readings over ≥ 1 day), hour-of-day and weekday profiles in `timeZone` (mean, n), the best focus
 * windows (highest mean level among hours with ≥ 2 readings, ties by share of focused/flow
 * readings, adjacent hours merged) and the open steps that fit the current reading.
 */
export function buildEnergyReport(input: EnergyReportInput): EnergyReport {
  const { readings, latest, now, timeZone } = input;
  const notes: string[] = [];
  const byHour = new Map<number, EnergyReading[]>();
  const byDay = new Map<number, EnergyReading[]>();
  for (const r of readings) {
    const { hour, weekday } = localParts(r.at, timeZone);
    (byHour.get(hour) ?? byHour.set(hour, []).get(hour)!).push(r);
    (byDay.get(weekday) ?? byDay.set(weekday, []).get(weekday)!).push(r);
  }
  const bucket = (key: string, rs: EnergyReading[]): ProfileBucket => ({ key, mean: round1(mean(rs.map((r) => r.level))), n: rs.length });
  const hourly = [...byHour.entries()].sort((a, b) => a[0] - b[0]).map(([h, rs]) => bucket(String(h), rs));
  const weekday = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([d, rs]) => bucket(WEEKDAYS[d]!, rs));

  const current = latest
    ? (() => {
        const minutesAgo = Math.max(0, Math.round((now - latest.at) / 60_000));
        return { ...latest, minutesAgo, fresh: minutesAgo <= input.rules.energyFreshMinutes };
      })()
    : null;
  if (!current) notes.push('no energy readings yet: call log_energy a few times a day to build the profile');
  else if (!current.fresh) notes.push(`the last reading is ${current.minutesAgo} min old: log_energy for an up-to-date picture`);
  if (readings.length > 0 && readings.length < 10) notes.push(`only ${readings.length} readings in the window: profiles are rough`);

  const fitsNow = current?.fresh === true ? input.openSteps.filter((s) => fitsEnergy(s, current.level, current.attention)) : [];
  return {
    timeZone,
    windowDays: input.windowDays,
    n: readings.length,
    current,
    mean: readings.length ? round1(mean(readings.map((r) => r.level))) : null,
    trend: energyTrend(readings),
    hourly,
    weekday,
    bestWindows: bestFocusWindows(byHour, readings),
    fitsNow,
    notes,
  };
}

/** Ordinary least squares of level on time in days. */
export function energyTrend(readings: readonly Pick<EnergyReading, 'at' | 'level'>[]): EnergyTrend {
  const method = 'ordinary least squares of level on days';
  const n = readings.length;
  if (n < 4) return { direction: 'insufficient_data', slopePerDay: null, n, method };
  const t0 = Math.min(...readings.map((r) => r.at));
  const span = Math.max(...readings.map((r) => r.at)) - t0;
  if (span < DAY) return { direction: 'insufficient_data', slopePerDay: null, n, method };
  const { m } = linearRegression(readings.map((r) => [(r.at - t0) / DAY, r.level]));
  const slope = Math.round(m * 100) / 100;
  const direction = Math.abs(m) < STEADY_SLOPE_PER_DAY ? 'steady' : m > 0 ? 'rising' : 'falling';
  return { direction, slopePerDay: slope, n, method };
}

function bestFocusWindows(byHour: Map<number, EnergyReading[]>, all: readonly EnergyReading[]): FocusWindow[] {
  if (all.length === 0) return [];
  const overall = mean(all.map((r) => r.level));
  const hours = [...byHour.entries()]
    .filter(([, rs]) => rs.length >= MIN_READINGS_PER_WINDOW_HOUR)
    .map(([hour, rs]) => ({ hour, rs, level: mean(rs.map((r) => r.level)), focus: rs.filter((r) => FOCUSED.has(r.attention)).length / rs.length }))
    .filter((h) => h.level >= overall)
    .sort((a, b) => b.level - a.level || b.focus - a.focus || a.hour - b.hour)
    .slice(0, 3)
    .sort((a, b) => a.hour - b.hour);
  const windows: Array<{ start: number; end: number; rs: EnergyReading[] }> = [];
  for (const h of hours) {
    const last = windows.at(-1);
    if (last && last.end === h.hour) {
      last.end = h.hour + 1;
      last.rs.push(...h.rs);
    } else windows.push({ start: h.hour, end: h.hour + 1, rs: [...h.rs] });
  }
  return windows
    .map((w) => ({
      startHour: w.start,
      endHour: w.end,
      meanLevel: round1(mean(w.rs.map((r) => r.level))),
      focusShare: Math.round((w.rs.filter((r) => FOCUSED.has(r.attention)).length / w.rs.length) * 100) / 100,
      n: w.rs.length,
    }))
    .sort((a, b) => b.meanLevel - a.meanLevel || a.startHour - b.startHour);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
