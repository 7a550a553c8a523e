import { CairnError } from '../errors.js';
import { MAX_CALIBRATION_SAMPLES } from './calibration.js';
import type { AdhdContext } from './context.js';
import { CALIBRATED_SOURCES } from './task-service.js';
import type { AdhdHistory, AdhdService } from './types.js';

/** Longest period one history read covers: a year of readings, sessions and breaks. */
const MAX_SPAN_MS = 366 * 86_400_000;

/** Read-only views of what happened, for pictures (the dashboard): nothing here writes. */
export function createHistoryOps(ctx: AdhdContext): Pick<AdhdService, 'history' | 'taskTrees' | 'calibrationSamples'> {
  return {
    async history(ns, { since, until }): Promise<AdhdHistory> {
      if (!(Number.isFinite(since) && Number.isFinite(until) && since <= until))
        throw new CairnError('INVALID_INPUT', 'since/until: need finite times with since ≤ until');
      if (until - since > MAX_SPAN_MS) throw new CairnError('INVALID_INPUT', `since/until: at most ${MAX_SPAN_MS / 86_400_000} days at once`);
      const [energy, sessions, breaks] = await Promise.all([
        ctx.energy.energyBetween(ns, since, until),
        ctx.focus.sessionsSince(ns, since),
        ctx.focus.breaksBetween(ns, since, until),
      ]);
      return { since, until, energy, sessions: sessions.filter((s) => s.startedAt <= until), breaks };
    },

    async taskTrees(ns, limit) {
      const roots = await ctx.tasks.recentRoots(ns, Math.max(1, Math.min(100, limit)));
      return Promise.all(roots.map((r) => ctx.tasks.tree(ns, r.id)));
    },

    calibrationSamples: (ns) => ctx.tasks.completedEstimates(ns, CALIBRATED_SOURCES, MAX_CALIBRATION_SAMPLES),
  };
}
