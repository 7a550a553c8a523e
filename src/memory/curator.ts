import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { type Logger, silentLogger } from '../logger.js';
import type { CurationRepo, CurationRun, PlannedMerge } from '../storage/curation-repo.js';
import type { AccessLog } from './access-log.js';
import { clusters } from './clusters.js';
import { type DecayOptions, decayFactor } from './decay.js';
import { candidatePairs, type DuplicateEdge, type DuplicateRules, features, lexicallyNear } from './duplicates.js';
import { cosine } from './supersede-hints.js';
import { textKeyHash } from './text.js';
import type { CurationReport, MemoryActor, MergeAction, UndoReport } from './types.js';

/** Vectors of memories in the active embedder's space (stored ones reused, the rest computed). */
export type MemoryVectors = (ns: string, items: ReadonlyArray<{ id: string; content: string }>) => Promise<Map<string, Float32Array>>;

/** Dependencies of the curator. */
export interface CuratorDeps {
  repo: CurationRepo;
  vectors: MemoryVectors;
  clock: Clock;
  /** Flushed before each run, so decay sees the latest uses. */
  access?: AccessLog;
  /** The near-duplicate rules; `similarity` depends on the embedder (see `defaultSimilarity`). */
  rules: () => DuplicateRules;
  decay?: DecayOptions;
  /** Period of the background run, ms; 0 disables it. Default one hour. */
  intervalMs?: number;
  /** A namespace with no change since its last run is run again (for decay) after this long. Default 6 hours. */
  idleRerunMs?: number;
  logger?: Logger;
}

/**
 * The background curator: merges near-duplicates into one canonical memory (the others hidden
 * behind it, every original kept and readable), lowers the rank of unused memories (decay) and
 * never deletes. Each run is recorded and can be undone. No model is asked anything.
 */
export interface Curator {
  /** Curates one namespace now; `dryRun` reports the plan and writes nothing. */
  run(ns: string, opts?: { dryRun?: boolean; actor?: MemoryActor }): Promise<CurationReport>;
  /** Reverses the merges of a run. */
  undo(ns: string, runId: string, actor?: MemoryActor): Promise<UndoReport>;
  /** Recorded runs of a namespace, newest first. */
  runs(ns: string, limit?: number): Promise<CurationRun[]>;
  /** One background pass over every namespace with changes (or due for decay). */
  tick(): Promise<CurationReport[]>;
  start(): void;
  stop(): Promise<void>;
}

/** Cosine threshold of the vector rule: hashing vectors score paraphrases lower than a sentence model. */
export function defaultSimilarity(embedderId: string): number {
  return embedderId.startsWith('hashing-') ? 0.75 : 0.88;
}

/** Creates the curator. */
export function createCurator(deps: CuratorDeps): Curator {
  const logger = deps.logger ?? silentLogger;
  const interval = deps.intervalMs ?? 3_600_000;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<CurationReport[]> | null = null;
  const busy = new Map<string, Promise<unknown>>();

  /** Runs `fn` after any other run of `ns` in this process. */
  const serial = <T>(ns: string, fn: () => Promise<T>): Promise<T> => {
    const next = (busy.get(ns) ?? Promise.resolve()).catch(() => undefined).then(fn);
    busy.set(ns, next);
    void next.finally(() => busy.get(ns) === next && busy.delete(ns)).catch(() => undefined);
    return next;
  };

  async function curate(ns: string, dryRun: boolean, actor: MemoryActor): Promise<CurationReport> {
    const t0 = performance.now();
    // A dry run writes nothing, not even the pending use counts (its decay plan may lag them).
    if (!dryRun) await deps.access?.flush();
    const startedAt = deps.clock.now();
    const [uptoSeq, last, apartKeys, items] = await Promise.all([deps.repo.maxSeq(ns), deps.repo.lastRun(ns), deps.repo.apart(ns), deps.repo.items(ns)]);
    const since = last?.uptoSeq ?? 0;
    const rules = deps.rules();
    const f = features(items);
    const isNew = (i: number) => items[i]!.changeSeq > since;
    const apart = (a: number, b: number) => {
      const [x, y] = items[a]!.id < items[b]!.id ? [items[a]!.id, items[b]!.id] : [items[b]!.id, items[a]!.id];
      return apartKeys.has(`${x}\u0000${y}`);
    };

    const { same, check } = candidatePairs(items, f, isNew, apart, rules);
    const involved = new Set([...same.flatMap((e) => [e.a, e.b]), ...check.flat()]);
    const vecs = await deps.vectors(
      ns,
      [...involved].map((i) => ({ id: items[i]!.id, content: items[i]!.content })),
    );
    const cos = (a: number, b: number) => {
      const x = vecs.get(items[a]!.id);
      const y = vecs.get(items[b]!.id);
      return x && y ? cosine(x, y) : undefined;
    };
    const edges: DuplicateEdge[] = [...same];
    for (const [a, b] of check) {
      const score = cos(a, b);
      if (score !== undefined && score >= rules.similarity) edges.push({ a, b, rule: 'vector', score });
    }
    const compatible = (a: number, b: number) => f[a]!.key === f[b]!.key || ((cos(a, b) ?? 0) >= rules.similarity && lexicallyNear(items, f, a, b, rules));
    const planned: PlannedMerge[] = [];
    const actions: MergeAction[] = [];
    for (const c of clusters(items, f, edges, apart, compatible, cos)) {
      for (const m of c.members) {
        const score = Math.round(m.score * 10_000) / 10_000;
        planned.push({ sourceId: items[m.source]!.id, targetId: items[c.target]!.id, rule: m.rule, score, target: { tags: c.tags, importance: c.importance } });
        actions.push({
          sourceId: items[m.source]!.id,
          targetId: items[c.target]!.id,
          rule: m.rule,
          score,
          sourceContent: items[m.source]!.content,
          targetContent: items[c.target]!.content,
        });
      }
    }
    const hidden = new Set(planned.map((p) => p.sourceId));
    const decay = items.flatMap((it) => {
      const d = decayFactor(it, startedAt, deps.decay);
      return !hidden.has(it.id) && Math.abs(d - it.decay) > 1e-9 ? [{ id: it.id, decay: d }] : [];
    });
    const fresh = items.filter((_, i) => isNew(i)).length;
    const report = (runId: string | null, merges: MergeAction[]): CurationReport => ({
      runId,
      namespace: ns,
      dryRun,
      considered: items.length,
      new: fresh,
      merges,
      decayed: decay.length,
      tookMs: Math.round(performance.now() - t0),
    });
    if (dryRun) return report(null, actions);

    const missingKeys = items.filter((it) => it.textKey === null).map((it) => ({ id: it.id, textKey: textKeyHash(it.content) }));
    await deps.repo.setTextKeys(ns, missingKeys);
    if (fresh === 0 && planned.length === 0 && decay.length === 0 && last) return report(null, []);
    const runId = uuidv7(startedAt);
    const applied = new Set(
      (await deps.repo.apply({ id: runId, namespace: ns, actor, startedAt, finishedAt: deps.clock.now(), uptoSeq }, planned, decay)).map((p) => p.sourceId),
    );
    return report(
      runId,
      actions.filter((a) => applied.has(a.sourceId)),
    );
  }

  const curator: Curator = {
    run: (ns, opts = {}) => serial(ns, () => curate(ns, opts.dryRun ?? false, opts.actor ?? 'cli')),
    undo: (ns, runId, actor = 'cli') =>
      serial(ns, async () => {
        const run = await deps.repo.run(ns, runId);
        if (!run) throw new CairnError('NOT_FOUND', `run: no curation run ${runId} in namespace "${ns}"; list runs with "cairn curate --runs"`);
        if (run.undoneAt !== null) throw new CairnError('CONFLICT', `run: curation run ${runId} was already undone at ${new Date(run.undoneAt).toISOString()}`);
        const out = await deps.repo.undo(ns, runId, deps.clock.now(), actor);
        if ('blockedBy' in out)
          throw new CairnError(
            'CONFLICT',
            `run: a later run ${out.blockedBy} merged some of the same memories; undo ${out.blockedBy} first; nothing was changed`,
          );
        return out;
      }),
    runs: (ns, limit = 20) => deps.repo.runs(ns, limit),
    async tick() {
      if (ticking) return ticking;
      ticking = (async () => {
        const out: CurationReport[] = [];
        for (const ns of await deps.repo.namespaces()) {
          try {
            const [seq, last] = await Promise.all([deps.repo.maxSeq(ns), deps.repo.lastRun(ns)]);
            if (last && seq <= last.uptoSeq && deps.clock.now() - last.finishedAt < (deps.idleRerunMs ?? 6 * 3_600_000)) continue;
            const r = await curator.run(ns, { actor: 'curator' });
            if (r.runId) out.push(r);
            if (r.merges.length > 0 || r.decayed > 0)
              logger.info('curated memories', { ns, run: r.runId, merged: r.merges.length, decayed: r.decayed, ms: r.tookMs });
          } catch (err) {
            logger.warn('curation failed; the next run retries', { ns, err: String(err) });
          }
        }
        return out;
      })();
      try {
        return await ticking;
      } finally {
        ticking = null;
      }
    },
    start() {
      if (timer || interval <= 0) return;
      timer = setInterval(() => void curator.tick(), interval);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking?.catch(() => undefined);
    },
  };
  return curator;
}
