import type { AdhdContext } from './context.js';
import type { FocusSession } from './types.js';

const MIN = 60_000;

/**
 * When a running session really ended, by the idle rule: at the last activity before the first
 * quiet stretch longer than `idleMs` (between two activities, or from the last one until `now`).
 * Null while the session is live. The session's own start counts as activity, so a session nobody
 * touched again ends where it began: nothing says the person kept working.
 */
export function idleEnd(activity: { gapStart: number | null; latest: number | null }, startedAt: number, now: number, idleMs: number): number | null {
  if (activity.gapStart !== null) return Math.max(activity.gapStart, startedAt);
  const last = Math.max(activity.latest ?? startedAt, startedAt);
  return now - last > idleMs ? last : null;
}

/**
 * Closes the running session of `ns` when it has gone idle (`rules.focusIdleMinutes`), at its last
 * activity, and returns it as closed; null when nothing was closed. Called before anything reads
 * the running session, so a session started yesterday and never stopped is not "1,500 minutes of
 * focus" today. Safe to race: the end is written only while the session is still open.
 */
export async function closeIdleFocus(ctx: AdhdContext, ns: string, now: number): Promise<(FocusSession & { endedAt: number }) | null> {
  const idleMinutes = ctx.rules.focusIdleMinutes;
  if (!(idleMinutes > 0)) return null;
  const active = await ctx.focus.activeSession(ns);
  if (!active) return null;
  const idleMs = idleMinutes * MIN;
  const end = idleEnd(await ctx.activity.firstGap(ns, active.startedAt, idleMs), active.startedAt, now, idleMs);
  if (end === null) return null;
  await ctx.focus.endSession(ns, active.id, end);
  return { ...active, endedAt: end };
}

/** A phrase for a session the idle rule closed. */
export function describeIdleClose(s: FocusSession & { endedAt: number }, idleMinutes: number): string {
  const minutes = Math.max(0, Math.round((s.endedAt - s.startedAt) / MIN));
  return `"${s.topic ?? 'focus session'}" had no activity for over ${idleMinutes} min and was closed at its last activity (${minutes} min)`;
}
