import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import type { Logger } from '../logger.js';
import { type CacheCheck, type CacheChecker, checkCacheFile } from './cache-check.js';
import { removeCacheFiles } from './cache-files.js';
import { openCheckedCache } from './cache-open.js';
import { decodeRecord, encodeRecord, storedKey } from './cache-record.js';
import type { Cache, CacheStats } from './types.js';

/** How long a cache write or close may take before the caller stops waiting (it never blocks a request longer). */
const WAIT_MS = 5000;

/**
 * lmdb-js rejects a failed commit twice: the write's promise, then `err.commitError`, which
 * nobody else awaits and would otherwise end the process as an unhandled rejection.
 */
function guard(p: Promise<unknown>): Promise<unknown> {
  return p.catch((err: unknown) => {
    const commit = (err as { commitError?: unknown } | null)?.commitError;
    if (commit instanceof Promise) commit.catch(() => undefined);
    throw err;
  });
}

/** Options for the LMDB cache. */
export interface LmdbCacheOptions {
  /** Folder holding the cache (`cache.mdb`); created if missing. Deleting it loses nothing: it holds copies of committed rows only. */
  dir: string;
  logger: Logger;
  /** Maximum map size in bytes. Default 2 GiB (sparse: disk is used as data is written). */
  mapSize?: number;
  /** Checks an existing file before it is opened. Default `checkCacheFile` (a child process). */
  checker?: CacheChecker;
  /** Clock for damage reports. Default `Date.now`. */
  now?: () => number;
}

/**
 * LMDB-backed cache of immutable records. LMDB maps its file and trusts it, so a damaged file
 * could crash this process: the file is opened only once known good (`openCheckedCache`, in the
 * background — start-up never waits) and the cache answers misses until then. After that every
 * record read is checked against its checksum, and every LMDB failure is logged and bypassed: a
 * `get` becomes a miss, a `put` is skipped.
 */
export function createLmdbCache(opts: LmdbCacheOptions): Cache {
  const file = join(opts.dir, 'cache.mdb');
  const log = opts.logger;
  const checker = opts.checker ?? ((f: string) => checkCacheFile(f));
  const counters = { hits: 0, misses: 0, errors: 0, corrupt: 0, stale: 0 };
  let state: CacheStats['state'] = 'checking';
  let reason: string | undefined = `checking ${file} before use`;
  let damage: CacheStats['damage'];
  let db: RootDatabase | null = null;
  let check: CacheCheck | null = null;
  // Bumped by clear() and close(): an opening started before them no longer decides anything.
  let epoch = 0;
  let closed = false;

  const fail = (op: string, err: unknown) => {
    counters.errors++;
    log.warn('cache error bypassed', { op, err: err instanceof Error ? err.message : String(err) });
  };
  // A failed commit means the file or the disk is in trouble: stop using the cache in this
  // process; the next start checks the file again before it is mapped.
  let broken: string | undefined;
  const settle = async (p: Promise<unknown>, op: string, waitMs = WAIT_MS): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`LMDB did not finish ${op} within ${waitMs} ms`)), waitMs);
      // A close is waited for (bounded) even when nothing else keeps the process alive.
      if (op !== 'close') timer.unref();
    });
    try {
      return await Promise.race([guard(p), waited]);
    } catch (err) {
      fail(op, err);
      if ((err as { commitError?: unknown } | null)?.commitError && !broken) {
        broken = `an LMDB commit failed (${err instanceof Error ? err.message : String(err)}); the file is checked again when Cairn next starts`;
        if (state === 'ok') [state, reason] = ['disabled', broken];
        log.warn('cache disabled', { path: file, reason: broken });
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const start = async (mine: number) => {
    const t0 = performance.now();
    const opened = await openCheckedCache({
      dir: opts.dir,
      file,
      logger: log,
      mapSize: opts.mapSize ?? 2 * 1024 ** 3,
      checker,
      now: opts.now ?? Date.now,
      onCheck: (c) => (check = c),
      settle,
    });
    if (mine !== epoch) {
      if (opened.db) void guard(opened.db.close()).catch(() => undefined);
      return;
    }
    db = opened.db;
    counters.corrupt += opened.corrupt;
    if (opened.damage) damage = opened.damage;
    state = db && !broken ? 'ok' : 'disabled';
    reason = db ? broken : opened.reason;
    if (db) log.info('cache in use', { path: file, ms: Math.round(performance.now() - t0) });
    else log.warn('cache disabled', { path: file, reason });
  };
  let started = start(epoch);

  const live = (): RootDatabase | null => (state === 'ok' ? db : null);
  return {
    get<T>(key: string, version: string): T | undefined {
      const d = live();
      if (!d) {
        counters.misses++;
        return undefined;
      }
      const k = storedKey(key);
      let stored: Uint8Array | undefined;
      try {
        stored = d.getBinary(k);
      } catch (err) {
        fail('get', err);
      }
      const out = stored ? decodeRecord(k, stored, version) : undefined;
      if (out?.status === 'hit') {
        counters.hits++;
        return out.value as T;
      }
      counters.misses++;
      if (out?.status === 'stale') counters.stale++;
      if (out?.status === 'corrupt') {
        counters.corrupt++;
        log.warn('cache record failed its checksum: treated as a miss and removed', { key });
        void settle(d.remove(k), 'remove');
      }
      return undefined;
    },
    async put(key, value, version) {
      const d = live();
      if (!d) return;
      let k: Buffer;
      let bytes: Buffer;
      try {
        k = storedKey(key);
        bytes = encodeRecord(k, value, version);
      } catch (err) {
        return fail('encode', err);
      }
      await settle(d.put(k, bytes), 'put');
    },
    async remove(key) {
      const d = live();
      if (d) await settle(d.remove(storedKey(key)), 'remove');
    },
    async clear() {
      const d = live();
      if (d) {
        await settle(d.clearAsync(), 'clear');
        return;
      }
      if (closed) return;
      // Not in use (being checked, damaged, or unreadable): delete the file unopened, start empty.
      const mine = ++epoch;
      check?.cancel();
      const old = db;
      db = null;
      if (old) await settle(old.close(), 'close', broken ? 100 : WAIT_MS);
      broken = undefined;
      try {
        removeCacheFiles(file);
      } catch (err) {
        fail('clear', err);
        state = 'disabled';
        reason = `cannot delete ${file}: ${err instanceof Error ? err.message : String(err)}`;
        return;
      }
      state = 'checking';
      reason = `checking ${file} before use`;
      started = start(mine);
      await started;
    },
    verify: () => checker(file).done,
    ready: () => started,
    stats(): CacheStats {
      let entries = 0;
      let bytes = 0;
      try {
        bytes = existsSync(file) ? statSync(file).size : 0;
        const d = live();
        if (d) entries = (d.getStats() as { entryCount?: number }).entryCount ?? 0;
      } catch {
        /* stats are best-effort */
      }
      return { ok: state === 'ok', state, ...(reason ? { reason } : {}), ...counters, entries, bytes, path: opts.dir, ...(damage ? { damage } : {}) };
    },
    async close() {
      closed = true;
      epoch++;
      check?.cancel();
      const d = db;
      db = null;
      state = 'disabled';
      reason = 'closed';
      // After a failed commit lmdb-js may never finish closing: do not hold the shutdown for it.
      if (d) await settle(d.close(), 'close', broken ? 100 : WAIT_MS);
    },
  };
}
