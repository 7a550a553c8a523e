import { type FocusState, focusStatus, lastBreakOf, streakStart, WATER_BREAKS } from './focus-rules.js';
import type { AdhdRules, Condition } from './types.js';

const MIN = 60_000;

/** Everything the check-in rules look at, at one instant. */
export interface CheckInState extends FocusState {
  rules: AdhdRules;
  /** Tasks in `doing`, with when anything last touched them and whether a session is on them now. */
  doingTasks: ReadonlyArray<{ id: string; title: string; lastActivityAt: number; inFocus: boolean }>;
  openEpisodes: ReadonlyArray<{ id: string; task: string; lastActivityAt: number }>;
}

/**
 * The conditions that hold now. Thresholds are strict (`>` / `<`): 90 min of focus is not yet
 * hyperfocus, 91 is; energy 3 is low, 4 is not. Water and movement are judged only while focusing,
 * so nobody is nagged in their sleep.
 */
export function evaluateConditions(state: CheckInState): Condition[] {
  const { now, rules } = state;
  const out: Condition[] = [];
  const over = (from: number, limit: number) => now - from > limit * MIN;
  const mins = (from: number) => Math.floor((now - from) / MIN);

  const status = focusStatus(state);
  if (status.hyperfocus) {
    out.push({
      key: 'hyperfocus',
      kind: 'hyperfocus',
      severity: 'warning',
      message: `Focused for ${status.continuousMinutes} min without a break (over ${rules.hyperfocusMinutes}). At the next natural stopping point: stand up, water, 5–10 min away.`,
      details: { continuous_minutes: status.continuousMinutes, session_id: state.active?.id ?? null },
    });
  }
  const start = streakStart(state.active, state.sessions, rules.streakGapMinutes);
  if (start !== null) {
    const water = Math.max(start, lastBreakOf(state.lastBreaks, WATER_BREAKS) ?? -Infinity);
    if (over(water, rules.waterMinutes)) {
      out.push({
        key: 'no_water',
        kind: 'no_water',
        severity: 'info',
        message: `No water for ${mins(water)} min while focusing. Drink something.`,
        details: { minutes: mins(water) },
      });
    }
    const moved = Math.max(start, state.lastBreaks.movement ?? -Infinity);
    if (over(moved, rules.movementMinutes)) {
      out.push({
        key: 'no_movement',
        kind: 'no_movement',
        severity: 'info',
        message: `No movement for ${mins(moved)} min while focusing. Stretch or walk for a few minutes.`,
        details: { minutes: mins(moved) },
      });
    }
  }
  const e = state.latestEnergy;
  if (e && !over(e.at, rules.energyFreshMinutes) && e.level < rules.lowEnergyBelow) {
    out.push({
      key: 'low_energy',
      kind: 'low_energy',
      severity: 'warning',
      message: `Energy is ${e.level}/10. Pick a low-energy step, eat or drink something, or rest.`,
      details: { level: e.level, attention: e.attention, reading_id: e.id },
    });
  }
  for (const t of state.doingTasks) {
    if (t.inFocus || !over(t.lastActivityAt, rules.stalledTaskMinutes)) continue;
    out.push({
      key: `stalled_task:${t.id}`,
      kind: 'stalled_task',
      severity: 'info',
      message: `"${t.title}" has been in progress with no activity for ${mins(t.lastActivityAt)} min. Resume it, mark it done, or drop it.`,
      details: { task_id: t.id, minutes: mins(t.lastActivityAt) },
    });
  }
  for (const ep of state.openEpisodes) {
    if (!over(ep.lastActivityAt, rules.staleEpisodeMinutes)) continue;
    out.push({
      key: `stale_episode:${ep.id}`,
      kind: 'stale_episode',
      severity: 'info',
      message: `Episode "${ep.task}" has been open with no step for ${mins(ep.lastActivityAt)} min. Log a step or complete it.`,
      details: { episode_id: ep.id, minutes: mins(ep.lastActivityAt) },
    });
  }
  return out;
}

/**
 * Compares the conditions holding now with the open check-ins: a condition without an open
 * check-in gets one; an open check-in whose condition no longer holds is cleared. So a condition is
 * reported once, and again only after it has cleared and come back.
 */
export function reconcileCheckIns(
  active: readonly Condition[],
  open: ReadonlyArray<{ id: string; conditionKey: string }>,
): { create: Condition[]; clearIds: string[] } {
  const activeKeys = new Set(active.map((c) => c.key));
  const openKeys = new Set(open.map((o) => o.conditionKey));
  return {
    create: active.filter((c) => !openKeys.has(c.key)),
    clearIds: open.filter((o) => !activeKeys.has(o.conditionKey)).map((o) => o.id),
  };
}
