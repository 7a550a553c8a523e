import type { Clock } from '../clock.js';
import type { CompletionHook } from '../episodes/service.js';
import type { EpisodeWithSteps } from '../episodes/types.js';
import { uuidv7 } from '../ids.js';
import type { Logger } from '../logger.js';
import type { PatternRepo } from '../storage/pattern-repo.js';
import { isTransient } from '../storage/resilience.js';
import { extractCandidates } from './extract/index.js';
import type { JobRunner } from './jobs.js';
import { fillRefs, planWrites, topRefs } from './plan.js';
import { MERGEABLE_KINDS } from './similarity.js';
import type { PatternJob, PatternPlanResult } from './types.js';

/**
 * Candidates written inside the completion; the rest of a long episode's candidates (its longer
 * tool sequences) go to a durable background job, so the time a completion spends on patterns
 * is bounded whatever the episode's length.
 */
export const INLINE_CANDIDATES = 48;

/** Dependencies of the completion hook. */
export interface HookDeps {
  repo: PatternRepo;
  runner: JobRunner;
  clock: Clock;
  logger: Logger;
}

/**
 * The hook the episode service runs on every completion. Extraction is pure and runs before the
 * transaction; the hook returns a plan the storage layer commits with the completion: the upsert
 * of the first `INLINE_CANDIDATES` candidates, a durable `extract` job for any remaining
 * candidates, and a durable merge job when new mergeable patterns appear — so the statistics and
 * the pending work commit with the completion or not at all. If the upsert fails for a
 * non-transient reason the plan falls back to a durable `extract` job for everything, and if
 * extraction itself fails the plan is that job alone; either way the completion still succeeds.
 * Jobs run in the background and, after a crash, at the next start.
 */
export function createCompletionHook({ repo, runner, clock, logger }: HookDeps): CompletionHook {
  const extractJob = (ep: EpisodeWithSteps, payload: Record<string, unknown>): PatternJob => ({
    id: uuidv7(clock.now()),
    namespace: ep.namespace,
    episodeId: ep.id,
    kind: 'extract',
    payload,
    createdAt: clock.now(),
    attempts: 0,
  });
  const deferred = (ep: EpisodeWithSteps, err: unknown) => logger.warn('pattern extraction deferred to a background job', { episode: ep.id, err: String(err) });
  const kick = (result: PatternPlanResult) => {
    for (const id of result.jobIds) runner.kick(id);
  };

  return {
    async extract(ep, { outcomeType }) {
      const now = clock.now();
      let plan: ReturnType<typeof planWrites>;
      let rest = 0;
      try {
        const all = extractCandidates(ep, outcomeType);
        const inline = all.slice(0, INLINE_CANDIDATES);
        rest = all.length - inline.length;
        const resolved = await repo.resolve(
          ep.namespace,
          inline.map((c) => c.key),
        );
        plan = planWrites(ep, inline, resolved, ep.completedAt ?? now, () => uuidv7(now));
      } catch (err) {
        if (isTransient(err)) throw err;
        deferred(ep, err);
        const job = extractJob(ep, { from: 0, proposed_ids: {} });
        return { patterns: [], newCount: 0, plan: { namespace: ep.namespace, writes: [], jobs: [job], merge: null, fallback: null }, committed: kick };
      }
      const { writes, refs, predictedNew } = plan;
      const merge: PatternJob = { id: uuidv7(now), namespace: ep.namespace, episodeId: ep.id, kind: 'merge', payload: {}, createdAt: now, attempts: 0 };
      return {
        patterns: topRefs(refs.values()),
        newCount: predictedNew,
        plan: {
          namespace: ep.namespace,
          writes,
          jobs: rest > 0 ? [extractJob(ep, { from: INLINE_CANDIDATES })] : [],
          merge: { job: merge, kinds: MERGEABLE_KINDS },
          fallback: extractJob(ep, { from: 0, proposed_ids: Object.fromEntries(writes.map((w) => [w.key, w.id])) }),
        },
        committed(result) {
          if (result.fellBack !== null) deferred(ep, result.fellBack);
          fillRefs(refs, result.rows);
          kick(result);
        },
      };
    },
  };
}
