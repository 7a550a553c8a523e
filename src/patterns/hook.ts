import type { Transaction } from '@libsql/client';
import type { Clock } from '../clock.js';
import type { CompletionHook, EpisodeWithSteps, OutcomeType } from '../episodes/types.js';
import { uuidv7 } from '../ids.js';
import type { Logger } from '../logger.js';
import type { PatternJob, PatternRepo, PatternWrite, UpsertedRow } from '../storage/pattern-repo.js';
import { isTransient } from '../storage/resilience.js';
import { extractCandidates } from './extract/index.js';
import { isMergeable, mergeJobFor, type JobRunner } from './jobs.js';
import { fillRefs, planWrites, topRefs } from './plan.js';

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
 * transaction; inside the completion transaction go the upsert of the first `INLINE_CANDIDATES`
 * candidates (one statement), a durable `extract` job for any remaining candidates, and a durable
 * merge job when new mergeable patterns appeared — so the statistics and the pending work commit
 * with the completion or not at all. If extraction or the upsert fails for a non-transient
 * reason, a durable `extract` job for everything is written instead and the completion still
 * succeeds. Jobs run in the background and, after a crash, at the next start.
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

  function deferred(ep: EpisodeWithSteps, proposed: Record<string, string>, err: unknown) {
    logger.warn('pattern extraction deferred to a background job', { episode: ep.id, err: String(err) });
    const job = extractJob(ep, { from: 0, proposed_ids: proposed });
    return async (tx: Transaction) => {
      await repo.insertJob(job, tx);
      runner.kick(job.id);
    };
  }

  return {
    async extract(ep, { outcomeType }) {
      const now = clock.now();
      let plan: ReturnType<typeof planWrites>;
      let rest = 0;
      try {
        const all = extractCandidates(ep, outcomeType as OutcomeType);
        const inline = all.slice(0, INLINE_CANDIDATES);
        rest = all.length - inline.length;
        const resolved = await repo.resolve(ep.namespace, inline.map((c) => c.key));
        plan = planWrites(ep, inline, resolved, ep.completedAt ?? now, () => uuidv7(now));
      } catch (err) {
        if (isTransient(err)) throw err;
        return { patterns: [], newCount: 0, persist: deferred(ep, {}, err) };
      }
      const { writes, refs, predictedNew } = plan;
      return {
        patterns: topRefs(refs.values()),
        newCount: predictedNew,
        async persist(tx) {
          if (writes.length === 0) return;
          await tx.execute('SAVEPOINT cairn_patterns');
          try {
            const rows = await upsertAll(repo, ep.namespace, writes, tx);
            fillRefs(refs, rows);
            const kindOf = new Map(writes.map((w) => [w.key, w.kind]));
            const fresh = rows.filter((r) => r.inserted && isMergeable(kindOf.get(r.key) ?? '')).map((r) => r.id);
            const jobs = [mergeJobFor(ep.namespace, ep.id, fresh, now), rest > 0 ? extractJob(ep, { from: INLINE_CANDIDATES }) : null].filter((j) => j !== null);
            for (const job of jobs) await repo.insertJob(job, tx);
            await tx.execute('RELEASE cairn_patterns');
            for (const job of jobs) runner.kick(job.id);
          } catch (err) {
            if (isTransient(err)) throw err;
            await tx.execute('ROLLBACK TO cairn_patterns');
            await tx.execute('RELEASE cairn_patterns');
            await deferred(ep, Object.fromEntries(writes.map((w) => [w.key, w.id])), err)(tx);
          }
        },
      };
    },
  };
}

/**
 * Upserts inside the transaction. Keys merged away since they were resolved are skipped by the
 * upsert; those are resolved again inside the transaction and written to their live pattern,
 * unless this episode already counted for it. Rows come back under the key that was asked.
 */
async function upsertAll(repo: PatternRepo, ns: string, writes: PatternWrite[], tx: Transaction): Promise<UpsertedRow[]> {
  const rows = await repo.upsert(ns, writes, tx);
  const done = new Set(rows.map((r) => r.key));
  let missing = writes.filter((w) => !done.has(w.key));
  for (let round = 0; round < 3 && missing.length > 0; round++) {
    const live = await repo.resolve(ns, missing.map((w) => w.key), tx);
    const retry = new Map<string, PatternWrite>();
    const askedFor = new Map<string, string>();
    for (const w of missing) {
      const target = live.get(w.key);
      if (!target || done.has(target.key) || retry.has(target.key)) continue;
      retry.set(target.key, { ...w, key: target.key });
      askedFor.set(target.key, w.key);
    }
    const more = await repo.upsert(ns, [...retry.values()], tx);
    for (const r of more) {
      done.add(r.key);
      rows.push({ ...r, key: askedFor.get(r.key) ?? r.key });
    }
    missing = [...retry.values()].filter((w) => !done.has(w.key)).map((w) => ({ ...w, key: askedFor.get(w.key) ?? w.key }));
  }
  return rows;
}
