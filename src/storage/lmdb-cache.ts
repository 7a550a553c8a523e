import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { Logger } from '../logger.js';
import type { Cache, CacheStats } from './types.js';

/** Options for the LMDB cache. */
export interface LmdbCacheOptions {
  /** Folder holding the cache; created if missing. Deleting it loses nothing: it holds copies of committed rows only. */
  dir: string;
  logger: Logger;
  /** Maximum map size in bytes. Default 2 GiB (sparse: disk is used as data is written). */
  mapSize?: number;
}

/**
 * LMDB-backed cache of immutable records. Any LMDB failure is logged and bypassed — a `get`
 * becomes a miss, a `put` is skipped — so the cache can never fail a request. If the environment
 * cannot even be opened the cache runs disabled and says so in `stats().ok`.
 */
export function createLmdbCache(opts: LmdbCacheOptions): Cache {
  const file = join(opts.dir, 'cache.mdb');
  let db: RootDatabase | null = null;
  const counters = { hits: 0, misses: 0, errors: 0 };
  try {
    mkdirSync(opts.dir, { recursive: true });
    db = open({ path: file, compression: true, mapSize: opts.mapSize ?? 2 * 1024 ** 3 });
  } catch (err) {
    counters.errors++;
    opts.logger.warn('cache disabled: cannot open LMDB', { path: file, err: String(err) });
  }

  const fail = (op: string, err: unknown) => {
    counters.errors++;
    opts.logger.warn('cache error bypassed', { op, err: String(err) });
  };

  return {
    get<T>(key: string): T | undefined {
      if (!db) return undefined;
      try {
        const v = db.get(key) as T | undefined;
        if (v === undefined) counters.misses++;
        else counters.hits++;
        return v;
      } catch (err) {
        fail('get', err);
        return undefined;
      }
    },
    async put(key, value) {
      if (!db) return;
      try {
        await db.put(key, value);
      } catch (err) {
        fail('put', err);
      }
    },
    async remove(key) {
      if (!db) return;
      try {
        await db.remove(key);
      } catch (err) {
        fail('remove', err);
      }
    },
    async clear() {
      if (!db) return;
      try {
        await db.clearAsync();
      } catch (err) {
        fail('clear', err);
      }
    },
    async verify() {
      let entries = 0;
      let bad = 0;
      if (!db) return { entries, bad };
      for (const key of db.getKeys()) {
        entries++;
        try {
          if (db.get(key) === undefined) bad++;
        } catch {
          bad++;
        }
      }
      return { entries, bad };
    },
    stats(): CacheStats {
      let entries = 0;
      let bytes = 0;
      if (db) {
        try {
          entries = (db.getStats() as { entryCount?: number }).entryCount ?? 0;
          bytes = statSync(file).size;
        } catch {
          /* stats are best-effort */
        }
      }
      return { ok: db !== null, ...counters, entries, bytes, path: opts.dir };
    },
    async close() {
      if (!db) return;
      try {
        await db.close();
      } catch (err) {
        fail('close', err);
      }
      db = null;
    },
  };
}
