import type { Logger } from '../logger.js';
import type { IndexSnapshots, SaveResult } from './index-snapshots.js';
import type { NamespaceIndex } from './namespace-index.js';
import type { IndexStats } from './types.js';

/** Decides when the index of each namespace is saved, and remembers how it came to be. */
export interface SnapshotKeeper {
  /**
   * Takes charge of `idx`, the index now answering for its namespace: `source` says how it was
   * made, `saved` what its snapshot covers (null when nothing is saved: a save is scheduled).
   */
  track(idx: NamespaceIndex, source: IndexStats['source'], loadMs: number, saved: SaveResult | null): void;
  /** Called after `idx` caught up: schedules a save once enough changes were applied since the last. */
  caughtUp(idx: NamespaceIndex): void;
  /** How the index of `ns` was made and what of it is saved; null before one is tracked. */
  stats(ns: string): IndexStats | null;
  /** Runs the saves that are due now and waits for those under way. */
  flush(): Promise<void>;
}

/** Options of {@link createSnapshotKeeper}. */
export interface SnapshotKeeperOptions {
  snapshots: IndexSnapshots;
  /** The database the indexes are of (see `SnapshotSpace`). */
  databaseId: () => Promise<string>;
  logger: Logger;
  /** Changes applied since the last snapshot that make the next one due. Default 1000. */
  saveAfterChanges?: number;
  /** How long after it becomes due a save runs (it blocks the event loop while it copies the index). Default 2 s. */
  saveDelayMs?: number;
}

interface Tracked {
  idx: NamespaceIndex;
  source: IndexStats['source'];
  loadMs: number;
  saved: SaveResult | null;
  /** `idx.applied()` when the last snapshot was taken (or when the index was loaded). */
  appliedAtSave: number;
  timer: ReturnType<typeof setTimeout> | null;
  running: Promise<void> | null;
}

/**
 * Saves each namespace's index in the background: after it was built from the database, and
 * after it caught up `saveAfterChanges` changes past its last snapshot — never while a query
 * waits, and never twice at once. A failed save is logged; the next one tries again.
 */
export function createSnapshotKeeper(opts: SnapshotKeeperOptions): SnapshotKeeper {
  const threshold = opts.saveAfterChanges ?? 1000;
  const delay = opts.saveDelayMs ?? 2000;
  const tracked = new Map<string, Tracked>();
  const underway = new Set<Promise<void>>();

  const save = async (t: Tracked) => {
    const { idx } = t;
    const applied = idx.applied();
    try {
      // A stale semantic model is relearned here, off the query path, so the next process need not.
      idx.index.refresh();
      // Read in one synchronous step, so the image is exactly the index at that position.
      const position = idx.position();
      const snapshot = idx.index.snapshot();
      t.saved = await opts.snapshots.save({ ns: idx.ns, database: await opts.databaseId(), embedder: idx.embedder.id }, snapshot, position);
    } catch (err) {
      opts.logger.warn('index snapshot not saved; will retry after more changes', { ns: idx.ns, err: String(err) });
    }
    t.appliedAtSave = applied;
  };

  const run = (t: Tracked): Promise<void> => {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    if (t.running) return t.running;
    const running = save(t).finally(() => {
      t.running = null;
      underway.delete(running);
    });
    t.running = running;
    underway.add(running);
    return running;
  };

  const schedule = (t: Tracked) => {
    if (t.timer || t.running) return;
    t.timer = setTimeout(() => {
      if (tracked.get(t.idx.ns) === t) void run(t);
      else t.timer = null;
    }, delay);
    t.timer.unref?.();
  };

  return {
    track(idx, source, loadMs, saved) {
      const previous = tracked.get(idx.ns);
      if (previous?.timer) clearTimeout(previous.timer);
      // A loaded index's catch-up is not in its snapshot: it counts toward the next save.
      const t: Tracked = { idx, source, loadMs, saved, appliedAtSave: saved ? 0 : -Infinity, timer: null, running: null };
      tracked.set(idx.ns, t);
      if (idx.applied() - t.appliedAtSave >= threshold) schedule(t);
    },
    caughtUp(idx) {
      const t = tracked.get(idx.ns);
      if (t?.idx === idx && idx.applied() - t.appliedAtSave >= threshold) schedule(t);
    },
    stats(ns) {
      const t = tracked.get(ns);
      if (!t) return null;
      return {
        source: t.source,
        documents: t.idx.index.size,
        embedder: t.idx.embedder.id,
        loadMs: t.loadMs,
        position: t.idx.position(),
        caughtUp: t.idx.applied(),
        saved: t.saved,
      };
    },
    async flush() {
      for (const t of tracked.values()) if (t.timer) void run(t);
      // Saves of indexes replaced meanwhile (a reindex, a new embedder) finish too.
      await Promise.all(underway);
    },
  };
}
