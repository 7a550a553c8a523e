import { existsSync, mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import type { Logger } from '../logger.js';
import type { CacheCheck, CacheChecker } from './cache-check.js';
import { moveAside } from './cache-files.js';
import { MAX_LISTED } from './cache-record.js';
import type { CacheFileReport, CacheStats } from './types.js';

/** What `openCheckedCache` ended with. */
export interface OpenedCache {
  /** The open environment, or null when the cache must run disabled (see `reason`). */
  db: RootDatabase | null;
  reason?: string;
  /** Damage found, and what was done about it. */
  damage?: NonNullable<CacheStats['damage']>;
  /** Records dropped because they failed their checksum. */
  corrupt: number;
}

/** What `openCheckedCache` needs. */
export interface OpenCheckedOptions {
  dir: string;
  file: string;
  logger: Logger;
  mapSize: number;
  checker: CacheChecker;
  now: () => number;
  /** Receives each running check, so the caller can cancel it. */
  onCheck?: (check: CacheCheck | null) => void;
  /** Awaits an lmdb-js write: its result, or undefined after logging its failure (never throws). */
  settle: (p: Promise<unknown>, op: string) => Promise<unknown>;
}

/**
 * Opens the LMDB cache file only once it is known good. A missing file is created at once; an
 * existing one is first checked (by default in a child process). A damaged file is moved aside
 * (`cache.mdb.damaged-<time>`) and an empty one created; records that fail their checksum are
 * removed before this resolves. Never throws: a failure is a disabled cache with a reason.
 */
export async function openCheckedCache(o: OpenCheckedOptions): Promise<OpenedCache> {
  try {
    mkdirSync(o.dir, { recursive: true });
  } catch (err) {
    return { db: null, reason: `cannot create ${o.dir}: ${message(err)}`, corrupt: 0 };
  }
  const openEnv = (extra: Omit<OpenedCache, 'db'> = { corrupt: 0 }): OpenedCache => {
    try {
      // Without event-turn batching lmdb-js hands every commit promise to a caller (with it, a
      // batch's own promise is rejected unobserved when its commit fails).
      return { ...extra, db: open({ path: o.file, keyEncoding: 'binary', encoding: 'binary', mapSize: o.mapSize, eventTurnBatching: false }) };
    } catch (err) {
      return { ...extra, db: null, reason: `cannot open ${o.file}: ${message(err)}` };
    }
  };
  // A concurrent process may repair the file while it is checked here; then the new one is checked.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!existsSync(o.file)) return openEnv();
    const check = o.checker(o.file);
    o.onCheck?.(check);
    const report = await check.done;
    o.onCheck?.(null);
    if (report.state === 'missing') return openEnv();
    if (report.state === 'unknown')
      return { db: null, reason: `cannot check ${o.file}: ${report.problem}; running without the cache ("cairn cache clear" starts it afresh)`, corrupt: 0 };
    let problem =
      report.state === 'damaged' ? (report.problem ?? 'damaged') : report.corrupt > MAX_LISTED ? `${report.corrupt} records fail their checksum` : null;
    if (problem === null) {
      const opened = openEnv();
      const dropped = opened.db ? await dropCorrupt(opened, report, o) : null;
      if (dropped) return dropped;
      // It passed the check yet LMDB refuses it, or will not drop its bad records: a fresh file
      // beats running without a cache.
      if (opened.db) await o.settle(opened.db.close(), 'close');
      problem = opened.reason ?? 'records failing their checksum could not be removed';
    }
    let moved: string | null;
    try {
      moved = moveAside(o.file, report.ino, o.now());
    } catch (err) {
      return { db: null, reason: `${o.file} is damaged (${problem}) and cannot be moved aside: ${message(err)}`, corrupt: 0 };
    }
    if (moved === null) continue;
    o.logger.warn('cache file damaged: moved aside, rebuilding empty', { path: o.file, problem, moved_to: moved });
    return openEnv({ corrupt: 0, damage: { at: new Date(o.now()).toISOString(), problem, action: `moved to ${moved}; rebuilt empty` } });
  }
  return { db: null, reason: `${o.file} kept being replaced while it was checked`, corrupt: 0 };
}

/** Removes the records that failed their checksum; null when LMDB would not remove one. */
async function dropCorrupt(opened: OpenedCache, report: CacheFileReport, o: OpenCheckedOptions): Promise<OpenedCache | null> {
  const db = opened.db;
  if (!db || report.corrupt === 0) return opened;
  o.logger.warn('cache records failed their checksum: removing them', { path: o.file, corrupt: report.corrupt });
  const removed = await Promise.all(report.corruptKeys.map((k) => o.settle(db.remove(Buffer.from(k, 'hex')), 'remove')));
  if (removed.some((r) => r !== true)) return null;
  const problem = `${report.corrupt} record${report.corrupt === 1 ? '' : 's'} failed the checksum`;
  return { ...opened, corrupt: report.corrupt, damage: { at: new Date(o.now()).toISOString(), problem, action: 'removed' } };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
