import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { AdhdContext } from './context.js';
import { closeIdleFocus, describeIdleClose } from './focus-idle.js';
import { type FocusState, focusStatus, RESETTING_BREAKS } from './focus-rules.js';
import { rollUp, statusPatch } from './task-tree.js';
import type { AdhdService, FocusSession, FocusStatus, TaskPatch } from './types.js';

const LOOKBACK_MS = 24 * 3_600_000;

/** Reads what the focus rules need at `now`. */
export async function loadFocusState(ctx: AdhdContext, ns: string, now: number): Promise<FocusState> {
  const [active, sessions, lastBreaks, latestEnergy] = await Promise.all([
    ctx.focus.activeSession(ns),
    ctx.focus.sessionsSince(ns, now - LOOKBACK_MS),
    ctx.focus.lastBreaks(ns, now),
    ctx.energy.latestEnergy(ns, now),
  ]);
  return { now, active, sessions, lastBreaks, latestEnergy, rules: ctx.rules };
}

/** Focus sessions and breaks. */
export function createFocusOps(ctx: AdhdContext): Pick<AdhdService, 'focus'> {
  const { focus: repo, tasks } = ctx;
  const status = async (ns: string, now: number): Promise<FocusStatus> => focusStatus(await loadFocusState(ctx, ns, now));
  const label = (s: FocusSession) => s.topic ?? 'focus session';
  const minutesOf = (s: FocusSession, end: number) => Math.max(0, Math.round((end - s.startedAt) / 60_000));

  return {
    async focus(ns, input) {
      const at = ctx.timeOf(input.at);
      const idle = await closeIdleFocus(ctx, ns, ctx.clock.now());
      const idleNote = idle ? ` (${describeIdleClose(idle, ctx.rules.focusIdleMinutes)})` : '';
      const active = await repo.activeSession(ns);
      if (active && at < active.startedAt && input.action !== 'status') {
        throw new CairnError(
          'INVALID_INPUT',
          `at: ${new Date(at).toISOString()} is before the running session started (${new Date(active.startedAt).toISOString()})`,
        );
      }
      switch (input.action) {
        case 'start': {
          let topic = input.topic ?? null;
          const patches: Array<{ id: string; patch: TaskPatch }> = [];
          if (input.taskId) {
            const task = await tasks.getTask(ns, input.taskId);
            if (!task) throw new CairnError('NOT_FOUND', `task_id: no task ${input.taskId} in this namespace; create one with break_down_task`);
            if (task.status === 'done' || task.status === 'dropped') {
              throw new CairnError('CONFLICT', `task_id: task ${task.id} is ${task.status}; reopen it with update_task before focusing on it`);
            }
            topic ??= task.title;
            if (task.status === 'todo') {
              patches.push({ id: task.id, patch: statusPatch('doing', at) }, ...rollUp(await tasks.tree(ns, task.rootId), task.id, 'doing', at));
            }
          }
          const session: FocusSession = { id: uuidv7(at), namespace: ns, taskId: input.taskId ?? null, topic, startedAt: at, endedAt: null };
          try {
            await repo.startSession(session, active ? { id: active.id, at } : null, patches);
          } catch (err) {
            if (/UNIQUE constraint/i.test(String(err))) {
              throw new CairnError('CONFLICT', 'focus: another focus session was started at the same moment; call focus with action "status" and try again', {
                cause: err,
              });
            }
            throw err;
          }
          const stopped = active ? { ...active, endedAt: at, minutes: minutesOf(active, at) } : null;
          const message =
            `focus started on "${topic ?? 'focus session'}"` + (stopped ? `; stopped "${label(stopped)}" after ${stopped.minutes} min` : '') + idleNote;
          return { action: 'start', message, stopped, status: await status(ns, at) };
        }
        case 'stop': {
          if (!active) return { action: 'stop', message: `no focus session was running${idleNote}`, stopped: null, status: await status(ns, at) };
          await repo.endSession(ns, active.id, at);
          const stopped = { ...active, endedAt: at, minutes: minutesOf(active, at) };
          return { action: 'stop', message: `stopped "${label(active)}" after ${stopped.minutes} min`, stopped, status: await status(ns, at) };
        }
        case 'break': {
          const kind = input.kind ?? 'break';
          await repo.insertBreak({ id: uuidv7(at), namespace: ns, sessionId: active?.id ?? null, kind, at });
          const resets = RESETTING_BREAKS.includes(kind);
          const message = `${kind} logged` + (active ? (resets ? '; the focus clock restarts' : '; the session continues') : '') + idleNote;
          return { action: 'break', message, stopped: null, status: await status(ns, at) };
        }
        case 'status':
          return {
            action: 'status',
            message: active ? `focusing on "${label(active)}"` : `no focus session running${idleNote}`,
            stopped: null,
            status: await status(ns, at),
          };
      }
    },
  };
}
