import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { type CheckInState, evaluateConditions, reconcileCheckIns } from './check-in-rules.js';
import type { AdhdContext } from './context.js';
import { closeIdleFocus } from './focus-idle.js';
import { loadFocusState } from './focus-service.js';
import type { AdhdService, CheckIn } from './types.js';

/** Open episodes looked at per evaluation. */
export const MAX_EPISODES_CHECKED = 20;
/** Check-ins returned per call. */
export const MAX_CHECK_INS_LISTED = 50;

/** Reads everything the check-in rules need at `now`. */
export async function loadCheckInState(ctx: AdhdContext, ns: string, now: number): Promise<CheckInState> {
  const [focus, doing, episodes] = await Promise.all([
    loadFocusState(ctx, ns, now),
    ctx.tasks.doingTasks(ns, 50),
    ctx.episodes.list(ns, { status: 'open' }, MAX_EPISODES_CHECKED),
  ]);
  const openEpisodes = await Promise.all(
    episodes.map(async (ep) => {
      const [last] = await ctx.episodes.lastSteps(ns, ep.id, 1);
      return { id: ep.id, task: ep.task, lastActivityAt: Math.max(ep.startedAt, last?.at ?? 0) };
    }),
  );
  return {
    ...focus,
    rules: ctx.rules,
    doingTasks: doing.map((t) => ({ id: t.id, title: t.title, lastActivityAt: t.lastActivityAt, inFocus: t.inFocus })),
    openEpisodes,
  };
}

/** Told about check-ins as soon as they are written, whoever evaluated them. */
export type CheckInsRaised = (namespace: string, checkIns: CheckIn[]) => void | Promise<void>;

/**
 * Check-in evaluation (monitor and call time) and listing. Every evaluation that writes new
 * check-ins hands them to `raised` at once, in one batch per namespace, whether the monitor or a
 * call (`get_check_ins`, `recover_context`) evaluated them; its failures are logged, never thrown.
 */
export function createCheckInOps(ctx: AdhdContext, raised?: CheckInsRaised): Pick<AdhdService, 'evaluateCheckIns' | 'checkIns'> {
  const { checkIns: repo } = ctx;

  async function evaluate(ns: string, now: number): Promise<CheckIn[]> {
    await closeIdleFocus(ctx, ns, now);
    const state = await loadCheckInState(ctx, ns, now);
    const conditions = evaluateConditions(state);
    const { create, clearIds } = reconcileCheckIns(conditions, await repo.openCheckIns(ns));
    const rows: CheckIn[] = create.map((c) => ({
      id: uuidv7(now),
      namespace: ns,
      conditionKey: c.key,
      kind: c.kind,
      severity: c.severity,
      message: c.message,
      details: c.details,
      createdAt: now,
      acknowledgedAt: null,
      clearedAt: null,
    }));
    const written = await repo.writeCheckIns(ns, rows, clearIds, now);
    if (written.length > 0 && raised) {
      try {
        await raised(ns, written);
      } catch (err) {
        ctx.logger.warn('check-ins: telling listeners failed', { namespace: ns, error: err });
      }
    }
    return written;
  }

  return {
    evaluateCheckIns: (ns, now) => evaluate(ns, now ?? ctx.clock.now()),

    async checkIns(ns, query = {}) {
      const now = ctx.clock.now();
      if (query.since !== undefined && !Number.isFinite(query.since)) {
        throw new CairnError('INVALID_INPUT', 'since: not a valid time; use ISO-8601 such as 2026-01-05T09:30:00Z');
      }
      await evaluate(ns, now);
      const acknowledged = await repo.acknowledge(ns, query.acknowledge ?? [], now);
      const checkIns = await repo.listCheckIns(ns, {
        since: query.since ?? 0,
        includeAcknowledged: query.includeAcknowledged ?? false,
        limit: MAX_CHECK_INS_LISTED,
      });
      return { checkIns, acknowledged, evaluatedAt: now };
    },
  };
}
