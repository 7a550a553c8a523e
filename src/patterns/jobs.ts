import type { Clock } from '../clock.js';
import type { EpisodeWithSteps, OutcomeType } from '../episodes/types.js';
import { uuidv7 } from '../ids.js';
import type { Logger } from '../logger.js';
import type { PatternRepo } from '../storage/pattern-repo.js';
import { extractCandidates } from './extract/index.js';
import { chooseMergeTarget } from './merge.js';
import { planWrites } from './plan.js';
import { MERGEABLE_KINDS, nearSizes } from './similarity.js';
import type { MergeOp, PatternJob, PatternKind } from './types.js';

/** A job that failed this many times is left in the table for an operator and no longer retried. */
export const MAX_JOB_ATTEMPTS = 5;
/** Candidates compared per pattern when looking for a near-duplicate. */
export const MAX_MERGE_CANDIDATES = 2000;
/** Delays before looking again for a job whose transaction had not committed yet, ms. */
const RECHECK_MS = [5, 20, 100, 500, 2000];
/** Delay before background work starts after a completion, so the reply goes out first, ms. */
const KICK_DELAY_MS = 20;

/**
 * Resolves on the next turn of the event loop. Local libSQL statements run synchronously, so an
 * in-process transaction never stays open across a turn: a write started right after this cannot
 * meet another in-process transaction's lock (which would block the loop in SQLite's busy wait).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Dependencies of the job runner. */
export interface JobRunnerDeps {
  repo: PatternRepo;
  loadEpisode(ns: string, id: string): Promise<EpisodeWithSteps | null>;
  clock: Clock;
  logger: Logger;
}

/** Runs durable pattern jobs in the background and at start-up. */
export interface JobRunner {
  /** Asks for a run soon; `jobId` is a job just written in a transaction that may not have committed yet. */
  kick(jobId?: string): void;
  /** Runs every visible job now (each at most once per call). */
  runAll(): Promise<{ processed: number; failed: number }>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The merge job that follows an extraction when it created mergeable patterns. */
export function mergeJobFor(ns: string, episodeId: string, ids: string[], at: number): PatternJob | null {
  if (ids.length === 0) return null;
  return { id: uuidv7(at), namespace: ns, episodeId, kind: 'merge', payload: { pattern_ids: ids }, createdAt: at, attempts: 0 };
}

/** True for kinds the merge job looks at. */
export const isMergeable = (kind: string): boolean => MERGEABLE_KINDS.includes(kind as PatternKind);

/** Creates the runner. Work is scheduled with timers and never blocks a tool call. */
export function createJobRunner(deps: JobRunnerDeps): JobRunner {
  const { repo, clock, logger } = deps;
  const expected = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const direct = new Set<Promise<unknown>>();

  async function processMerge(job: PatternJob): Promise<void> {
    const ids = Array.isArray(job.payload.pattern_ids) ? job.payload.pattern_ids.map(String) : [];
    const sources = await repo.byIds(job.namespace, ids);
    const merges: MergeOp[] = [];
    const moved = new Set<string>();
    for (const p of sources) {
      if (p.mergedInto !== null || moved.has(p.id) || !isMergeable(p.kind)) continue;
      await nextTurn();
      const block = {
        kind: p.kind,
        taskType: p.taskType,
        matchKey: p.matchKey,
        domain: p.domain,
        tokens: p.tokens,
        nearSizes: nearSizes(p.tokens.length),
        excludeId: p.id,
      };
      const candidates = (await repo.candidates(job.namespace, block, MAX_MERGE_CANDIDATES)).filter((c) => !moved.has(c.id));
      const choice = chooseMergeTarget(p, candidates);
      if (!choice) continue;
      // The better-established pattern survives: more occurrences, then older, then smaller id.
      const t = choice.target;
      const keep = p.occurrences !== t.occurrences ? p.occurrences > t.occurrences : p.firstSeen !== t.firstSeen ? p.firstSeen < t.firstSeen : p.id < t.id;
      const op = keep ? { sourceId: t.id, targetId: p.id } : { sourceId: p.id, targetId: t.id };
      merges.push(op);
      moved.add(op.sourceId);
      logger.debug('merging near-duplicate pattern', { ...op, similarity: choice.similarity });
    }
    // A target that is itself moved later in this job would leave a chain; point it at the final target.
    for (const m of merges) {
      let t = m.targetId;
      for (let hop = 0; hop < merges.length; hop++) {
        const next = merges.find((x) => x.sourceId === t);
        if (!next) break;
        t = next.targetId;
      }
      m.targetId = t;
    }
    await nextTurn();
    await repo.applyMergeJob(
      job.id,
      merges.filter((m) => m.sourceId !== m.targetId),
      clock.now(),
    );
  }

  async function processExtract(job: PatternJob): Promise<void> {
    const ep = await deps.loadEpisode(job.namespace, job.episodeId);
    const now = clock.now();
    if (ep?.status !== 'completed' || ep.outcomeType === null) {
      logger.warn('pattern extraction job refers to no completed episode; dropping it', { job: job.id, episode: job.episodeId });
      await nextTurn();
      await repo.applyMergeJob(job.id, [], now);
      return;
    }
    // `from`: the completion already wrote the candidates before this position.
    const from = Math.max(0, Number(job.payload.from ?? 0) || 0);
    const candidates = extractCandidates(ep, ep.outcomeType as OutcomeType).slice(from);
    const resolved = await repo.resolve(
      job.namespace,
      candidates.map((c) => c.key),
    );
    const proposed = (job.payload.proposed_ids ?? {}) as Record<string, string>;
    const plan = planWrites(ep, candidates, resolved, ep.completedAt ?? now, (key) => (Object.hasOwn(proposed, key) ? proposed[key]! : uuidv7(now)));
    const liveKeys = new Set([...resolved.values()].map((r) => r.key));
    const fresh = plan.writes.filter((w) => !liveKeys.has(w.key) && isMergeable(w.kind)).map((w) => w.id);
    await nextTurn();
    await repo.applyExtractJob(job.id, job.namespace, plan.writes, mergeJobFor(job.namespace, ep.id, fresh, now));
  }

  async function runAll(): Promise<{ processed: number; failed: number }> {
    const seen = new Set<string>();
    let processed = 0;
    let failed = 0;
    for (;;) {
      const jobs = (await repo.listJobs(50 + seen.size, MAX_JOB_ATTEMPTS)).filter((j) => !seen.has(j.id));
      if (jobs.length === 0 || closed) break;
      for (const job of jobs) {
        seen.add(job.id);
        expected.delete(job.id);
        try {
          if (job.kind === 'merge') await processMerge(job);
          else await processExtract(job);
          processed++;
        } catch (err) {
          failed++;
          logger.warn('pattern job failed; it will be retried', { job: job.id, kind: job.kind, attempts: job.attempts + 1, err: String(err) });
          await nextTurn();
          await repo.failJob(job.id, err instanceof Error ? err.message : String(err)).catch(() => undefined);
        }
      }
    }
    return { processed, failed };
  }

  function schedule(delay: number): void {
    if (closed || timer) return;
    timer = setTimeout(start, delay);
    timer.unref?.();
  }

  function start(): void {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await runAll();
        } catch (err) {
          logger.warn('pattern job run failed; pending jobs stay queued', { err: String(err) });
        }
      } while (again && !closed);
    })().finally(() => {
      running = null;
      // A job written by a transaction that had not committed when we looked: look again, a few times.
      let delay = Infinity;
      for (const [id, tries] of expected) {
        if (tries >= RECHECK_MS.length) expected.delete(id);
        else {
          expected.set(id, tries + 1);
          delay = Math.min(delay, RECHECK_MS[tries]!);
        }
      }
      if (delay !== Infinity) schedule(delay);
    });
  }

  return {
    kick(jobId) {
      if (jobId !== undefined) expected.set(jobId, expected.get(jobId) ?? 0);
      schedule(KICK_DELAY_MS);
    },
    runAll() {
      const p = runAll();
      direct.add(p);
      void p.finally(() => direct.delete(p)).catch(() => undefined);
      return p;
    },
    async idle() {
      while (!closed && (timer || running || direct.size > 0)) {
        if (timer) {
          clearTimeout(timer);
          start();
        }
        await Promise.allSettled([running, ...direct]);
      }
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([running, ...direct]);
    },
  };
}
