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

/** A key-value cache of immutable records (LMDB). Every method swallows and logs its own errors. */
export interface Cache {
  get<T>(key: string): T | undefined;
  put(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Removes every entry. */
  clear(): Promise<void>;
  /** Reads every entry back; reports entries that fail to decode. */
  verify(): Promise<{ entries: number; bad: number }>;
  stats(): CacheStats;
  close(): Promise<void>;
}

/** Counters a cache keeps for `get_metrics` and `health_check`. */
export interface CacheStats {
  ok: boolean;
  hits: number;
  misses: number;
  errors: number;
  entries: number;
  bytes: number;
  path: string;
}

/** State of the circuit breaker around the primary. */
export type BreakerState = 'closed' | 'open' | 'half-open';
