import { createClient, type Client } from '@libsql/client';
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
  return {
    url: opts.url,
    local,
    execute: (sql: string, args?: SqlArgs) => client.execute(args ? { sql, args: args as never } : sql),
    batch: (stmts, mode = 'write') => client.batch(stmts, mode),
    async transaction(fn) {
      const tx = await client.transaction('write');
      try {
        const out = await fn(tx);
        await tx.commit();
        return out;
      } catch (err) {
        await tx.rollback().catch(() => undefined);
        throw err;
      } finally {
        tx.close();
      }
    },
    close: () => client.close(),
  };
}
