/**
 * The JSON shapes the ADHD tools return (snake_case, ISO-8601 times) and the mappers from the
 * service's records. Shared by the seven tool files so one shape means one thing everywhere.
 */
import { z } from 'zod';
import { ATTENTION_STATES, BREAK_KINDS, ENERGY_DEMANDS, ESTIMATE_SOURCES, TASK_STATUSES } from '../../src/adhd/types.js';
import type { Calibration, CheckIn, EnergyReport, EnergyReading, FocusSession, FocusStatus, Task } from '../../src/adhd/types.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));
/** Notes shown per task; older ones stay stored. */
const NOTES_SHOWN = 5;

export const calibrationSchema = z.object({
  multiplier: z.number(),
  interval: z.tuple([z.number(), z.number()]).nullable().describe('90% bootstrap interval of a learned multiplier; null for the default.'),
  n: z.number().int().describe('Completed estimated tasks behind it.'),
  source: z.enum(['default', 'learned']),
  scope: z.string().describe('all, energy:<level> or category:<name>.'),
  method: z.string(),
});

export function calibrationOut(c: Calibration): z.infer<typeof calibrationSchema> {
  return { multiplier: c.multiplier, interval: c.low !== null && c.high !== null ? [c.low, c.high] : null, n: c.n, source: c.source, scope: c.scope, method: c.method };
}

export const taskSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  parent_id: z.string().nullable(),
  root_id: z.string(),
  position: z.number().int(),
  is_starter: z.boolean(),
  raw_minutes: z.number().nullable(),
  realistic_minutes: z.number().nullable(),
  multiplier: z.number().nullable(),
  estimate_source: z.enum(ESTIMATE_SOURCES),
  why: z.string().nullable(),
  energy: z.enum(ENERGY_DEMANDS).nullable(),
  needs_focus: z.boolean(),
  category: z.string().nullable(),
  actual_minutes: z.number().nullable(),
  deadline: z.string().nullable(),
  notes: z.array(z.object({ at: z.string(), text: z.string() })),
  created_at: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

export function taskOut(t: Task): z.infer<typeof taskSchema> {
  return {
    id: t.id,
    title: t.title,
    status: t.status,
    parent_id: t.parentId,
    root_id: t.rootId,
    position: t.position,
    is_starter: t.isStarter,
    raw_minutes: t.rawMinutes,
    realistic_minutes: t.realisticMinutes,
    multiplier: t.multiplier,
    estimate_source: t.estimateSource,
    why: t.why,
    energy: t.energy,
    needs_focus: t.needsFocus,
    category: t.category,
    actual_minutes: t.actualMinutes,
    deadline: isoOrNull(t.deadline),
    notes: t.notes.slice(-NOTES_SHOWN).map((n) => ({ at: iso(n.at), text: n.text })),
    created_at: iso(t.createdAt),
    started_at: isoOrNull(t.startedAt),
    completed_at: isoOrNull(t.completedAt),
  };
}

/** A task in a listing: enough to name it and act on it. */
export const taskBriefSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  realistic_minutes: z.number().nullable(),
  energy: z.enum(ENERGY_DEMANDS).nullable(),
  needs_focus: z.boolean(),
});

export function taskBriefOut(t: Task): z.infer<typeof taskBriefSchema> {
  return { id: t.id, title: t.title, status: t.status, realistic_minutes: t.realisticMinutes, energy: t.energy, needs_focus: t.needsFocus };
}

export const energyReadingSchema = z.object({
  id: z.string(),
  at: z.string(),
  level: z.number().int(),
  attention: z.enum(ATTENTION_STATES),
  mood: z.string().nullable(),
  note: z.string().nullable(),
});

export function energyOut(e: EnergyReading): z.infer<typeof energyReadingSchema> {
  return { id: e.id, at: iso(e.at), level: e.level, attention: e.attention, mood: e.mood, note: e.note };
}

export const sessionSchema = z.object({
  session_id: z.string(),
  task_id: z.string().nullable(),
  topic: z.string().nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
});

export function sessionOut(s: FocusSession): z.infer<typeof sessionSchema> {
  return { session_id: s.id, task_id: s.taskId, topic: s.topic, started_at: iso(s.startedAt), ended_at: isoOrNull(s.endedAt) };
}

const minutesOrNull = z.number().int().nullable();

export const focusStatusSchema = z.object({
  active: sessionSchema.nullable(),
  elapsed_minutes: minutesOrNull,
  continuous_minutes: minutesOrNull.describe('Focus since the streak began or the last break/movement/meal.'),
  without_water_minutes: minutesOrNull,
  without_movement_minutes: minutesOrNull,
  minutes_since: z.object(Object.fromEntries(BREAK_KINDS.map((k) => [k, minutesOrNull])) as Record<(typeof BREAK_KINDS)[number], typeof minutesOrNull>),
  hyperfocus: z.boolean().describe('More than 90 minutes of continuous focus.'),
  attention: z.enum(ATTENTION_STATES).nullable(),
  energy: z.number().int().nullable(),
  interruptible: z.boolean(),
  interruptible_why: z.string(),
  suggestions: z.array(z.string()),
});

export function focusStatusOut(s: FocusStatus): z.infer<typeof focusStatusSchema> {
  return {
    active: s.active ? sessionOut(s.active) : null,
    elapsed_minutes: s.elapsedMinutes,
    continuous_minutes: s.continuousMinutes,
    without_water_minutes: s.withoutWaterMinutes,
    without_movement_minutes: s.withoutMovementMinutes,
    minutes_since: s.minutesSince,
    hyperfocus: s.hyperfocus,
    attention: s.attention,
    energy: s.energy,
    interruptible: s.interruptible,
    interruptible_why: s.interruptibleWhy,
    suggestions: s.suggestions,
  };
}

export const checkInSchema = z.object({
  id: z.string(),
  kind: z.string().describe('hyperfocus | no_movement | no_water | low_energy | stalled_task | stale_episode'),
  severity: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  acknowledged_at: z.string().nullable(),
  cleared_at: z.string().nullable().describe('When the condition stopped holding; null while it still holds.'),
});

export function checkInOut(c: CheckIn): z.infer<typeof checkInSchema> {
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

export const trendSchema = z.object({
  direction: z.enum(['rising', 'falling', 'steady', 'insufficient_data']),
  slope_per_day: z.number().nullable().describe('Energy points per day.'),
  n: z.number().int(),
  method: z.string(),
});

/** Open steps offered as fitting the current energy. */
export const FITS_NOW_SHOWN = 10;

export const energyReportSchema = z.object({
  time_zone: z.string(),
  window_days: z.number().int(),
  n: z.number().int().describe('Readings in the window.'),
  current: energyReadingSchema.extend({ minutes_ago: z.number().int(), fresh: z.boolean() }).nullable(),
  mean: z.number().nullable(),
  trend: trendSchema,
  hourly: z.array(z.object({ hour: z.number().int(), mean: z.number(), n: z.number().int() })).describe('Local hour-of-day profile.'),
  weekday: z.array(z.object({ day: z.string(), mean: z.number(), n: z.number().int() })),
  best_focus_windows: z.array(
    z.object({ label: z.string(), start_hour: z.number().int(), end_hour: z.number().int(), mean_level: z.number(), focus_share: z.number(), n: z.number().int() }),
  ),
  fits_now: z.array(taskBriefSchema).describe('Open steps that fit the current reading.'),
  notes: z.array(z.string()),
});

const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;

export function energyReportOut(r: EnergyReport): z.infer<typeof energyReportSchema> {
  return {
    time_zone: r.timeZone,
    window_days: r.windowDays,
    n: r.n,
    current: r.current ? { ...energyOut(r.current), minutes_ago: r.current.minutesAgo, fresh: r.current.fresh } : null,
    mean: r.mean,
    trend: { direction: r.trend.direction, slope_per_day: r.trend.slopePerDay, n: r.trend.n, method: r.trend.method },
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
