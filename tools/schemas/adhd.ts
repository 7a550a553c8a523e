/**
 * The JSON shapes the ADHD tools return (snake_case, ISO-8601 times): mappers from the service's
 * records, whose return types are the precise wire types, and the loose schemas the tools list
 * (key fields only, so the catalogue stays small). Shared by the seven tool files so one shape
 * means one thing everywhere.
 */
import { z } from 'zod';
import type { Calibration, CheckIn, EnergyReading, EnergyReport, FocusSession, FocusStatus, Task } from '../../src/adhd/types.js';
import { TASK_STATUSES } from '../../src/adhd/types.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));
/** Notes shown per task; older ones stay stored. */
const NOTES_SHOWN = 5;
/** Open steps offered as fitting the current energy. */
export const FITS_NOW_SHOWN = 10;

/** A task as listed: the key fields; the rest of a task's fields may follow. */
export const taskRefSchema = z.looseObject({ id: z.string(), title: z.string(), status: z.enum(TASK_STATUSES) });
/** The multiplier a breakdown used. */
export const calibrationRefSchema = z.looseObject({ multiplier: z.number(), n: z.number(), source: z.enum(['default', 'learned']) });
/** Any other nested record of an ADHD reply. */
export { anyObject as record } from './common.js';

export function calibrationOut(c: Calibration) {
  return {
    multiplier: c.multiplier,
    interval: c.low !== null && c.high !== null ? ([c.low, c.high] as [number, number]) : null,
    n: c.n,
    source: c.source,
    scope: c.scope,
    method: c.method,
  };
}

/**
 * A task without what is null or empty: times, notes, category, deadline and actual minutes appear
 * when they are set. The explanation (`why`) carries the multiplier and the transition buffer.
 */
export function taskOut(t: Task) {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    ...(t.parentId !== null ? { parent_id: t.parentId } : {}),
    is_starter: t.isStarter,
    raw_minutes: t.rawMinutes,
    realistic_minutes: t.realisticMinutes,
    multiplier: t.multiplier,
    estimate_source: t.estimateSource,
    why: t.why,
    energy: t.energy,
    needs_focus: t.needsFocus,
    ...(t.category !== null ? { category: t.category } : {}),
    ...(t.actualMinutes !== null ? { actual_minutes: t.actualMinutes } : {}),
    ...(t.deadline !== null ? { deadline: iso(t.deadline) } : {}),
    ...(t.notes.length ? { notes: t.notes.slice(-NOTES_SHOWN).map((n) => ({ at: iso(n.at), text: n.text })) } : {}),
    ...(t.startedAt !== null ? { started_at: iso(t.startedAt) } : {}),
    ...(t.completedAt !== null ? { completed_at: iso(t.completedAt) } : {}),
  };
}

/** A task in a listing: enough to name it and act on it. */
export function taskBriefOut(t: Task) {
  return { id: t.id, title: t.title, status: t.status, realistic_minutes: t.realisticMinutes, energy: t.energy, needs_focus: t.needsFocus };
}

export function energyOut(e: EnergyReading) {
  return { id: e.id, at: iso(e.at), level: e.level, attention: e.attention, mood: e.mood, note: e.note };
}

export function sessionOut(s: FocusSession) {
  return { session_id: s.id, task_id: s.taskId, topic: s.topic, started_at: iso(s.startedAt), ended_at: isoOrNull(s.endedAt) };
}

/** Focus status as listed: the fields to act on; the minutes since each kind of break follow. */
export const focusStatusSchema = z.looseObject({
  hyperfocus: z.boolean().describe('Over 90 minutes without a break.'),
  interruptible: z.boolean(),
  interruptible_why: z.string(),
});

export function focusStatusOut(s: FocusStatus) {
  return {
    active: s.active ? sessionOut(s.active) : null,
    elapsed_minutes: s.elapsedMinutes,
    continuous_minutes: s.continuousMinutes,
    without_water_minutes: s.withoutWaterMinutes,
    without_movement_minutes: s.withoutMovementMinutes,
    minutes_since: { ...s.minutesSince },
    hyperfocus: s.hyperfocus,
    attention: s.attention,
    energy: s.energy,
    interruptible: s.interruptible,
    interruptible_why: s.interruptibleWhy,
    suggestions: s.suggestions,
  };
}

/** A check-in as listed. */
export const checkInSchema = z.looseObject({ id: z.string(), kind: z.string(), message: z.string() });

export function checkInOut(c: CheckIn) {
  return {
    id: c.id,
    kind: c.kind,
    severity: c.severity,
    message: c.message,
    details: c.details,
    created_at: iso(c.createdAt),
    acknowledged_at: isoOrNull(c.acknowledgedAt),
    cleared_at: isoOrNull(c.clearedAt),
  };
}

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

export function trendOut(t: EnergyReport['trend']) {
  return { direction: t.direction, slope_per_day: t.slopePerDay, n: t.n, method: t.method };
}

export function energyReportOut(r: EnergyReport) {
  return {
    time_zone: r.timeZone,
    window_days: r.windowDays,
    n: r.n,
    current: r.current ? { ...energyOut(r.current), minutes_ago: r.current.minutesAgo, fresh: r.current.fresh } : null,
    mean: r.mean,
    trend: trendOut(r.trend),
    hourly: r.hourly.map((b) => ({ hour: Number(b.key), mean: b.mean, n: b.n })),
    weekday: r.weekday.map((b) => ({ day: b.key, mean: b.mean, n: b.n })),
    best_focus_windows: r.bestWindows.map((w) => ({
      label: `${hh(w.startHour)}–${hh(w.endHour)}`,
      start_hour: w.startHour,
      end_hour: w.endHour,
      mean_level: w.meanLevel,
      focus_share: w.focusShare,
      n: w.n,
    })),
    fits_now: r.fitsNow.slice(0, FITS_NOW_SHOWN).map(taskBriefOut),
    notes: r.notes,
  };
}

export { iso, isoOrNull };
