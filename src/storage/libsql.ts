import { type Client, createClient, type InStatement } from '@libsql/client';
import { CairnError } from '../errors.js';
import { retryWhileBusy } from './busy.js';
import { poisonsConnection } from './faults.js';
import { wrapTransaction } from './tx.js';
import type { Db, SqlArgs, Tx } from './types.js';

/** Options for opening the primary store. */
export interface LibsqlOptions {
  /** `file:/path/cairn.db`, `libsql://…`, `http(s)://…`. */
  url: string;
  authToken?: string;
  /**
   * How long a statement on an embedded database waits for a lock held by another process
   * before failing with STORE_BUSY, ms. The wait is asynchronous: other calls keep being served.
   * Default 5000.
   */
  busyWaitMs?: number;
  /**
   * SQLite's own busy timeout on each embedded connection, ms. SQLite waits it out synchronously
   * (the event loop stands still), so it is kept short: it only absorbs the brief locks of other
   * processes' small transactions. Default 10.
   */
  nativeBusyMs?: number;
}

/** Opens libSQL: a remote client as is, or an embedded file with the discipline below. */
export async function openLibsql(opts: LibsqlOptions): Promise<Db> {
  if (opts.url.startsWith('file:')) return openEmbedded(opts);
  const client = createClient({ url: opts.url, ...(opts.authToken ? { authToken: opts.authToken } : {}), intMode: 'number' });
  return {
    url: opts.url,
    local: false,
    execute: (sql, args) => client.execute(args ? { sql, args: args as never } : sql),
    batch: (stmts, mode = 'write') => client.batch(stmts, mode),
    transaction: (fn) => inTransaction(client, fn),
    close: () => client.close(),
  };
}

/**
 * An embedded database. Writes go through one dedicated connection, one at a time (a FIFO mutex):
 * embedded libSQL runs statements synchronously, so two writers of this process colliding would
 * busy-wait with the event loop blocked and the lock holder unable to finish. Reads use a
 * separate pool (WAL readers never wait for writers).
 *
 * A statement refused with SQLITE_BUSY is left un-reset by the driver, and its connection would
 * then keep later writes in a transaction that never commits — acknowledged, then lost. So a
 * connection that saw such an error is closed and replaced before anything else runs on it. A
 * lock held by another process is waited out with short asynchronous pauses (the writer keeps its
 * place in the queue) until `busyWaitMs` after the call, then the call fails with STORE_BUSY.
 */
async function openEmbedded(opts: LibsqlOptions): Promise<Db> {
  const waitMs = opts.busyWaitMs ?? 5000;
  const connect = (concurrency: number) => createClient({ url: opts.url, timeout: opts.nativeBusyMs ?? 10, intMode: 'number', concurrency });
  const now = () => performance.now();
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const writes = createMutex();
  let lockWaitSince: number | null = null;
  let closed = false;
  // A write still waiting out a lock when the store closes must not open a new connection.
  const ensureOpen = () => {
    if (closed) throw new CairnError('STORE_UNAVAILABLE', 'the database is closed (the server is shutting down); nothing was written');
  };

  let writer: Promise<Client> | null = null;
  let writerClient: Client | null = null;
  const openWriter = async () => {
    const c = connect(1);
    try {
      // Per connection, so set on every writer (WAL + NORMAL is durable across process crashes).
      await c.execute('PRAGMA synchronous = NORMAL');
    } catch (err) {
      c.close();
      throw err;
    }
    writerClient = c;
    return c;
  };
  const onWriter = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    ensureOpen();
    writer ??= openWriter();
    const pending = writer;
    let c: Client;
    try {
      c = await pending;
    } catch (err) {
      if (writer === pending) writer = null;
      throw err;
    }
    try {
      return await fn(c);
    } catch (err) {
      if (poisonsConnection(err) && writer === pending) {
        writer = null;
        writerClient = null;
        c.close();
      }
      throw err;
    }
  };

  // Reads may overlap, so a poisoned reader pool is retired and closed once its last read returns.
  type Readers = { client: Client; inflight: number; retired: boolean };
  let readers: Readers | null = { client: connect(20), inflight: 0, retired: false };
  const onReaders = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    ensureOpen();
    readers ??= { client: connect(20), inflight: 0, retired: false };
    const r = readers;
    r.inflight++;
    try {
      return await fn(r.client);
    } catch (err) {
      if (poisonsConnection(err) && readers === r) {
        readers = null;
        r.retired = true;
      }
      throw err;
    } finally {
      r.inflight--;
      if (r.retired && r.inflight === 0) r.client.close();
    }
  };

  const wait = (startedAt: number, onBusy?: () => void) => ({ startedAt, deadline: startedAt + waitMs, now, sleep, ...(onBusy ? { onBusy } : {}) });
  const read = <T>(fn: (c: Client) => Promise<T>) => retryWhileBusy(() => onReaders(fn), wait(now()));
  const write = <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const startedAt = now();
    return writes.run(async () => {
      try {
        const onBusy = () => {
          lockWaitSince ??= now();
        };
        return await retryWhileBusy(() => onWriter(fn), wait(startedAt, onBusy));
      } finally {
        lockWaitSince = null;
      }
    });
  };

  const close = () => {
    closed = true;
    writerClient?.close();
    readers?.client.close();
    writer = null;
    readers = null;
  };
  try {
    // WAL is a property of the database file, so setting it once covers every connection.
    await write((c) => c.execute('PRAGMA journal_mode = WAL'));
  } catch (err) {
    close();
    throw err;
  }
  return {
    url: opts.url,
    local: true,
    execute: (sql: string, args?: SqlArgs) => {
      const stmt: InStatement = args ? { sql, args: args as never } : sql;
      return isRead(sql) ? read((c) => c.execute(stmt)) : write((c) => c.execute(stmt));
    },
    batch: (stmts, mode = 'write') => (mode === 'read' ? read((c) => c.batch(stmts, mode)) : write((c) => c.batch(stmts, mode))),
    transaction: (fn) => write((c) => inTransaction(c, fn)),
    lockWaitMs: () => (lockWaitSince === null ? null : Math.round(now() - lockWaitSince)),
    close,
  };
}

/** Runs `fn` in a write transaction: committed when it resolves, rolled back when it throws. */
async function inTransaction<T>(client: Client, fn: (tx: Tx) => Promise<T>): Promise<T> {
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
