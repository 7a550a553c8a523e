import { type AdhdRules, type AttentionState, BREAK_KINDS, type BreakKind, type EnergyReading, type FocusSession, type FocusStatus } from './types.js';

const MIN = 60_000;
/** Break kinds that end a stretch of continuous focus. A sip of water at the desk does not. */
export const RESETTING_BREAKS: readonly BreakKind[] = ['break', 'movement', 'meal'];
/** Kinds that count as drinking. */
export const WATER_BREAKS: readonly BreakKind[] = ['water', 'meal'];

/** Everything the focus rules look at, at one instant. */
export interface FocusState {
  now: number;
  active: FocusSession | null;
  /** Recent sessions, oldest first (the active one may be among them). */
  sessions: readonly FocusSession[];
  lastBreaks: Partial<Record<BreakKind, number>>;
  latestEnergy: EnergyReading | null;
  rules: Pick<AdhdRules, 'hyperfocusMinutes' | 'streakGapMinutes' | 'energyFreshMinutes' | 'attentionFreshMinutes' | 'waterMinutes' | 'movementMinutes'>;
}

/**
 * When the current streak of focus began: the active session's start, extended back over earlier
 * sessions that ended less than `gapMinutes` before the next one started (switching tasks is not
 * a break). Null when no session is active.
 */
export function streakStart(active: FocusSession | null, sessions: readonly FocusSession[], gapMinutes: number): number | null {
  if (!active) return null;
  let start = active.startedAt;
  const earlier = sessions.filter((s) => s.id !== active.id && s.endedAt !== null && s.startedAt < start).sort((a, b) => b.startedAt - a.startedAt);
  for (const s of earlier) {
    if (start - s.endedAt! >= gapMinutes * MIN) break;
    start = Math.min(start, s.startedAt);
  }
  return start;
}

/** Latest break among `kinds`, or null. */
export function lastBreakOf(lastBreaks: Partial<Record<BreakKind, number>>, kinds: readonly BreakKind[]): number | null {
  const ts = kinds.map((k) => lastBreaks[k]).filter((t): t is number => t !== undefined);
  return ts.length ? Math.max(...ts) : null;
}

/**
 * Interruptibility after Pattern's rule: never during hyperfocus; when focused (or in flow) only at
 * energy ≤ 3; always when scattered, depleted or not focusing.
 */
export function interruptibility(attention: AttentionState | null, energy: number | null): { interruptible: boolean; why: string } {
  switch (attention) {
    case 'hyperfocus':
      return { interruptible: false, why: 'hyperfocus: never interrupt; wait for a natural stopping point' };
    case 'focused':
    case 'flow':
      return energy !== null && energy <= 3
        ? { interruptible: true, why: `${attention} but energy is ${energy}/10 (≤ 3): a break would help` }
        : { interruptible: false, why: `${attention} at energy ${energy ?? 'unknown'}: interrupt only at energy ≤ 3` };
    case 'scattered':
      return { interruptible: true, why: 'scattered: always interruptible; a nudge may help refocus' };
    case 'depleted':
      return { interruptible: true, why: 'depleted: interrupt for rest' };
    default:
      return { interruptible: true, why: 'not focusing' };
  }
}

/** Computes the focus status: elapsed time, breaks, hyperfocus (> threshold, strictly) and interruptibility. */
export function focusStatus(state: FocusState): FocusStatus {
  const { now, active, rules } = state;
  const minutes = (from: number | null) => (from === null ? null : Math.max(0, Math.floor((now - from) / MIN)));
  const exactMinutes = (from: number) => (now - from) / MIN;
  const start = streakStart(active, state.sessions, rules.streakGapMinutes);
  const resetAt = lastBreakOf(state.lastBreaks, RESETTING_BREAKS);
  const continuousFrom = start === null ? null : Math.max(start, resetAt ?? -Infinity);
  const hyperfocus = continuousFrom !== null && exactMinutes(continuousFrom) > rules.hyperfocusMinutes;

  const minutesSince = Object.fromEntries(BREAK_KINDS.map((k) => [k, minutes(state.lastBreaks[k] ?? null)])) as Record<BreakKind, number | null>;
  const reading = state.latestEnergy;
  const energy = reading && now - reading.at <= rules.energyFreshMinutes * MIN ? reading.level : null;
  // Attention changes faster than energy, and starting a session supersedes an older report.
  const reported =
    reading && now - reading.at <= rules.attentionFreshMinutes * MIN && reading.at >= (active?.startedAt ?? -Infinity) ? reading.attention : null;
  const attention = effectiveAttention(hyperfocus, active !== null, reported);
  const { interruptible, why } = interruptibility(attention, energy);

  const waterFrom = start === null ? null : Math.max(start, lastBreakOf(state.lastBreaks, WATER_BREAKS) ?? -Infinity);
  const movementFrom = start === null ? null : Math.max(start, state.lastBreaks.movement ?? -Infinity);
  const suggestions: string[] = [];
  if (hyperfocus)
    suggestions.push(`${minutes(continuousFrom)} min of focus without a break: at the next natural stopping point, stand up, drink water, 5–10 min away`);
  if (waterFrom !== null && exactMinutes(waterFrom) > rules.waterMinutes) suggestions.push(`no water logged for ${minutes(waterFrom)} min: drink something`);
  if (movementFrom !== null && exactMinutes(movementFrom) > rules.movementMinutes)
    suggestions.push(`no movement logged for ${minutes(movementFrom)} min: stretch or walk for a few minutes`);
  if (energy !== null && energy <= 3 && active) suggestions.push(`energy is ${energy}/10: consider a lower-energy step or a rest`);

  return {
    active,
    elapsedMinutes: active ? minutes(active.startedAt) : null,
    continuousMinutes: minutes(continuousFrom),
    withoutWaterMinutes: minutes(waterFrom),
    withoutMovementMinutes: minutes(movementFrom),
    minutesSince,
    hyperfocus,
    attention,
    energy,
    interruptible,
    interruptibleWhy: why,
    suggestions,
  };
}

function effectiveAttention(hyperfocus: boolean, focusing: boolean, reported: AttentionState | null): AttentionState | null {
  if (hyperfocus || reported === 'hyperfocus') return 'hyperfocus';
  if (reported === 'scattered' || reported === 'depleted') return reported;
  if (focusing) return reported === 'flow' ? 'flow' : 'focused';
  return reported;
}
