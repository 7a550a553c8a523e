import type { InStatement, ResultSet } from '@libsql/client';

/** A SQL argument list as libSQL accepts it. */
export type SqlArgs = Array<string | number | bigint | null | Uint8Array | ArrayBuffer | boolean>;

/**
 * The open side of an interactive transaction. Callers never write `SAVEPOINT` themselves:
 * `savepoint` is the only way to undo part of a transaction.
 */
export interface Tx {
  execute(sql: string, args?: SqlArgs): Promise<ResultSet>;
  /**
   * Runs `fn` inside a savepoint. When `fn` resolves its writes stay (pending the transaction's
   * commit); when it throws they are rolled back, the transaction stays usable and the error is
   * rethrown. Savepoints nest.
   */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * The primary store's SQL surface, as the repositories see it. Implemented over a libSQL client
 * and wrapped by `withResilience` (retries + circuit breaker). Only `src/storage` imports it.
 */
export interface Db {
  /** `file:` URL of an embedded database, or the remote URL. */
  readonly url: string;
  /** True for an embedded (`file:`) database. */
  readonly local: boolean;
  execute(sql: string, args?: SqlArgs): Promise<ResultSet>;
  /** Runs statements atomically: all or nothing. */
  batch(stmts: InStatement[], mode?: 'write' | 'read'): Promise<ResultSet[]>;
  /** Interactive write transaction; committed when `fn` resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * How long the write now running has been waiting for a lock another process holds, ms; null
   * when no write is waiting. Optional: only an embedded database waits this way.
   */
  lockWaitMs?(): number | null;
  close(): void;
}

/**
 * A key-value cache of immutable records (LMDB). Every record is stored in an envelope with a
 * checksum and the version of its source (src/storage/cache-record.ts): a damaged, foreign or
 * stale record is a miss, never data. A cache file is checked in a child process before it is
 * opened and, if damaged, moved aside and rebuilt empty; until then the cache answers misses.
 * Every method swallows and logs its own errors: the cache can never fail a request.
 */
export interface Cache {
  /**
   * The record under `key` if it is intact and was written for `version`, else undefined (a miss,
   * counted). Byte values come back as a Uint8Array — one copy out of the map, checked at about
   * 2 GB/s, so large snapshots are fine — and anything else as the JSON value it was. `version`
   * names what the value was made from (a record format, an embedder and dimension, …).
   */
  get<T>(key: string, version: string): T | undefined;
  /**
   * Stores `value` under `key` for `version`: bytes as they are (any ArrayBufferView, e.g. a
   * Buffer or Float32Array), anything else as JSON. Resolves when committed or skipped (never
   * rejects, never waits more than a few seconds).
   */
  put(key: string, value: unknown, version: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Removes every entry. A file that is not open (damaged or unchecked) is deleted unopened. */
  clear(): Promise<void>;
  /** Checks the cache file now, in a child process, and reports what it found. */
  verify(): Promise<CacheFileReport>;
  /** Resolves once the start-up check is over and the cache is in use (or disabled). */
  ready(): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}

/** What a check of the cache file found (`cairn cache verify`, `Cache.verify`). */
export interface CacheFileReport {
  /**
   * `ok`: safe to open (records counted in `corrupt` must still be dropped); `damaged`: must never
   * be opened; `missing`: no file yet; `unknown`: could not be checked (see `problem`).
   */
  state: 'ok' | 'damaged' | 'missing' | 'unknown';
  /** What is wrong, for `damaged` and `unknown`. */
  problem?: string;
  /** Records in the file. */
  entries: number;
  /** Records whose checksum or header failed. */
  corrupt: number;
  /** Stored keys (hex: a damaged key need not be valid UTF-8) of the first 1,000 corrupt records. */
  corruptKeys: string[];
  /** Records in another format (an older cache, or a newer Cairn): misses, never data. */
  foreign: number;
  /** File size in bytes. */
  bytes: number;
  /** Inode of the file that was checked, so a repair moves that file and no newer one. */
  ino: number;
}

/** Counters and state a cache reports for `get_metrics` and `health_check`. */
export interface CacheStats {
  /** True when the cache is in use. */
  ok: boolean;
  /** `checking` the file before first use, in use (`ok`), or `disabled` (see `reason`). */
  state: 'checking' | 'ok' | 'disabled';
  /** Why the cache is not in use. */
  reason?: string;
  hits: number;
  misses: number;
  /** LMDB errors (logged and bypassed), including failed commits. */
  errors: number;
  /** Records that failed their checksum (each a miss, dropped from the cache). */
  corrupt: number;
  /** Records written for another version of their source (each a miss). */
  stale: number;
  entries: number;
  bytes: number;
  path: string;
  /** The last damage found in this process and what was done about it. */
  damage?: { at: string; problem: string; action: string };
}

/** State of the circuit breaker around the primary. */
export type BreakerState = 'closed' | 'open' | 'half-open';
