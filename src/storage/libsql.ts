import { createClient, type Client } from '@libsql/client';
import { wrapTransaction } from './tx.js';
import type { Db, SqlArgs } from './types.js';

/** Options for opening the primary store. */
export interface LibsqlOptions {
  /** `file:/path/cairn.db`, `libsql://…`, `http(s)://…`. */
  url: string;
  authToken?: string;
  /** Busy timeout for every pooled connection (ms). Default 5000. */
  busyTimeoutMs?: number;
}

/** Opens libSQL and applies per-database settings (WAL for embedded files). */
export async function openLibsql(opts: LibsqlOptions): Promise<Db> {
  const local = opts.url.startsWith('file:');
  const client: Client = createClient({
    url: opts.url,
    ...(opts.authToken ? { authToken: opts.authToken } : {}),
    timeout: opts.busyTimeoutMs ?? 5000,
    intMode: 'number',
  });
  if (local) {
    // WAL is a property of the database file, so setting it once covers every connection.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  // Embedded libSQL runs statements synchronously on this thread. A write that meets another
  // connection's open write transaction busy-waits (up to the busy timeout) *while blocking the
  // event loop*, so the transaction holding the lock can never finish: a 5 s stall, then
  // SQLITE_BUSY. Serialising this process's writes removes that; WAL readers never wait, and other
  // processes are still handled by the busy timeout.
  const writes = local ? createMutex() : null;
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => (writes ? writes.run(fn) : fn());
  return {
    url: opts.url,
    local,
    execute: (sql: string, args?: SqlArgs) => {
      const run = () => client.execute(args ? { sql, args: args as never } : sql);
      return isRead(sql) ? run() : exclusive(run);
    },
    batch: (stmts, mode = 'write') => (mode === 'read' ? client.batch(stmts, mode) : exclusive(() => client.batch(stmts, mode))),
    transaction: (fn) =>
      exclusive(async () => {
        const tx = await client.transaction('write');
        try {
          const out = await fn(wrapTransaction(tx));
          await tx.commit();
          return out;
        } catch (err) {
          await tx.rollback().catch(() => undefined);
          throw err;
        } finally {
          tx.close();
        }
      }),
    close: () => client.close(),
  };
}

/** True for statements that only read (they never take the write lock in WAL mode). */
export function isRead(sql: string): boolean {
  return /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(sql);
}

/** A FIFO async mutex. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const out = tail.then(fn, fn);
      tail = out.catch(() => undefined);
      return out;
    },
  };
}
