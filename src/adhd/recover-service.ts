import type { AdhdContext } from './context.js';
import { focusStatus } from './focus-rules.js';
import { loadFocusState } from './focus-service.js';
import { suggestNextAction } from './next-action.js';
import { nextOpenStep, progress } from './task-tree.js';
import type { AdhdService, RecoveredContext } from './types.js';

/** How much of each memory `recover_context` shows. */
export const MEMORY_PREVIEW_CHARS = 280;
const LIMITS = { tasks: 10, episodes: 5, steps: 3, memories: 5, checkIns: 20 } as const;

/** "Where was I?" — everything needed to pick up after a break, in one read. */
export function createRecoverOps(ctx: AdhdContext, evaluate: AdhdService['evaluateCheckIns']): Pick<AdhdService, 'recoverContext'> {
  const { tasks } = ctx;
  return {
    async recoverContext(ns) {
      const now = ctx.clock.now();
      // Evaluating first also closes a focus session that went idle, so what follows sees it closed.
      await evaluate(ns, now);
      const [focusState, lastSession, lastActivityAt, roots, episodes, memories, memoryCount, checkIns, leaves] = await Promise.all([
        loadFocusState(ctx, ns, now),
        ctx.focus.lastSession(ns),
        ctx.activity.latest(ns),
        tasks.openRoots(ns, LIMITS.tasks),
        ctx.episodes.list(ns, { status: 'open' }, LIMITS.episodes),
        ctx.memories.recent(ns, LIMITS.memories),
        ctx.memories.count(ns),
        ctx.checkIns.listCheckIns(ns, { since: 0, includeAcknowledged: false, limit: LIMITS.checkIns }),
        tasks.openLeaves(ns, 50),
      ]);
      const status = focusStatus(focusState);
      const openTasks = await Promise.all(
        roots.map(async (task) => {
          const tree = await tasks.tree(ns, task.id);
          return { task, nextStep: nextOpenStep(tree, task.id), ...progress(tree, task.id) };
        }),
      );
      const openEpisodes = await Promise.all(episodes.map((ep) => openEpisodeView(ctx.episodes, ns, ep, LIMITS.steps)));
      const focus = lastSession
        ? {
            session: lastSession,
            active: lastSession.endedAt === null,
            minutes: Math.max(0, Math.round(((lastSession.endedAt ?? now) - lastSession.startedAt) / 60_000)),
          }
        : null;
      const result: RecoveredContext = {
        now,
        focus,
        minutesAway: lastActivityAt === null ? null : Math.max(0, Math.round((now - lastActivityAt) / 60_000)),
        lastActivityAt,
        openTasks,
        openEpisodes,
        recentMemories: memories.map((m) => ({
          ...m,
          content: m.content.length > MEMORY_PREVIEW_CHARS ? `${m.content.slice(0, MEMORY_PREVIEW_CHARS - 1)}…` : m.content,
        })),
        memoryCount: memoryCount.live,
        energy: focusState.latestEnergy,
        checkIns,
        suggestedNextAction: suggestNextAction({
          hyperfocusMinutes: status.hyperfocus ? status.continuousMinutes : null,
          activeFocus: focus?.active ? { label: focus.session.topic ?? 'focus session', minutes: focus.minutes } : null,
          energy: status.energy,
          lowEnergyBelow: ctx.rules.lowEnergyBelow,
          openTasks,
          lowEnergySteps: leaves,
          openEpisodes: openEpisodes.map((e) => ({ task: e.task, lastAction: e.lastSteps[0]?.action ?? null })),
        }),
      };
      return result;
    },
  };
}

/** An open episode as recovered context shows it: its task and its last `steps` steps. */
export async function openEpisodeView(
  episodes: Pick<AdhdContext['episodes'], 'lastSteps'>,
  ns: string,
  ep: { id: string; task: string; startedAt: number },
  steps: number,
): Promise<RecoveredContext['openEpisodes'][number]> {
  const last = await episodes.lastSteps(ns, ep.id, steps);
  return {
    id: ep.id,
    task: ep.task,
    startedAt: ep.startedAt,
    lastSteps: last.map((s) => ({ stepNumber: s.stepNumber, tool: s.tool, action: s.action, result: s.result?.type ?? null, at: s.at })),
  };
}
