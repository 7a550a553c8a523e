import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ForeignLock, holdWriteLock } from '../../scripts/lib/foreign-lock.js';
import { openLibsql } from '../../src/storage/libsql.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

// Another process (a Node child with its own libSQL connection) takes the write lock with
// BEGIN IMMEDIATE, as `sqlite3 cairn.db` followed by `BEGIN IMMEDIATE;` does.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const lockOn = async (path: string): Promise<ForeignLock> => {
  const lock = await holdWriteLock(path);
  cleanups.push(() => lock.release());
  return lock;
};
const home = () => {
  const h = tempHome();
  cleanups.push(() => rmSync(h, { recursive: true, force: true }));
  return h;
};
const server = async (busyWaitMs: number): Promise<TestServer> => {
  const s = await startTestServer({ busyWaitMs, home: home() });
  cleanups.push(() => s.close());
  return s;
};

/** Ids of `ids` present in the database file, read through a new connection after the server closed. */
async function storedIds(dbPath: string, ids: string[]): Promise<string[]> {
  const c = createClient({ url: `file:${dbPath}` });
  try {
    const found: string[] = [];
    for (const id of ids) if ((await c.execute({ sql: 'SELECT id FROM memories WHERE id = ?', args: [id] })).rows.length) found.push(id);
    return found;
  } finally {
    c.close();
  }
}

const codeOf = (text: string) => /^([A-Z_]+):/.exec(text)?.[1];

describe('a write lock held by another process', () => {
  it('keeps every acknowledged write, answers STORE_BUSY for the rest, keeps reads and the sandbox answering, and recovers at once', async () => {
    const s = await server(3000);
    const dbPath = join(s.home, 'cairn.db');
    const before = await s.call('remember', { content: 'written before the lock' });
    await s.call('execute_agent_code', { code: '1', context: { task: 'start a sandbox worker before the lock' } });
    const lock = await lockOn(dbPath);

    // A write that meets the lock waits; meanwhile reads and a non-database tool answer.
    let waitingSettled = false;
    const waiting = s.client.callTool({ name: 'remember', arguments: { content: 'refused while the lock is held' } }).finally(() => {
      waitingSettled = true;
    });
    await vi.waitFor(async () => expect((await s.call('health_check')).primary.lock_wait_ms).not.toBeNull(), { timeout: 10_000, interval: 20 });
    const health = await s.call('health_check');
    const query = await s.call('query_memory', { query: 'written before the lock' });
    const sandbox = await s.call('execute_agent_code', { code: '6 * 7', context: { task: 'answer while a write waits' } });
    expect(waitingSettled).toBe(false);
    expect(health.status).toBe('degraded');
    expect(health.problems.join(' ')).toMatch(/waited \d+ ms for a lock another process holds/);
    expect(query.results.map((r: { id: string }) => r.id)).toContain(before.id);
    expect(sandbox.result).toBe(42);

    // Past its wait the write is refused with a clear, coded error — and a burst of refusals does not open the breaker.
    const refused = await waiting;
    expect(refused.isError).toBe(true);
    const text = (refused.content as Array<{ text: string }>)[0]!.text;
    expect(codeOf(text)).toBe('STORE_BUSY');
    expect(text).toMatch(/another process holds the database write lock .*nothing was written/);
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => s.client.callTool({ name: 'remember', arguments: { content: `burst ${i}` } })));
    expect(burst.map((r) => codeOf((r.content as Array<{ text: string }>)[0]!.text))).toEqual(Array(6).fill('STORE_BUSY'));
    expect(s.app.db.breaker().state).toBe('closed');

    // Writes that are waiting when the lock is released go through.
    const late = ['waiting at release one', 'waiting at release two'].map((content) => s.call('remember', { content }));
    await vi.waitFor(async () => expect((await s.call('health_check')).primary.lock_wait_ms).not.toBeNull(), { timeout: 10_000, interval: 20 });
    await lock.release();
    const acked = await Promise.all(late);

    // And the next write succeeds at once: the breaker never opened.
    expect(s.app.db.breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    const after = await s.call('remember', { content: 'written after the release' });
    expect((await s.call('health_check')).status).toBe('healthy');

    const ackedIds = [before.id, ...acked.map((a) => a.id), after.id];
    await s.close();
    expect(await storedIds(dbPath, ackedIds)).toEqual(ackedIds);
    const c = createClient({ url: `file:${dbPath}` });
    const refusedRows = await c.execute("SELECT count(*) AS n FROM memories WHERE content = 'refused while the lock is held' OR content LIKE 'burst %'");
    c.close();
    expect(Number(refusedRows.rows[0]!.n)).toBe(0);
  });

  it('a connection that met SQLITE_BUSY is replaced, so later acknowledged writes are committed', async () => {
    const path = join(home(), 'c.db');
    const db = await openLibsql({ url: `file:${path}`, busyWaitMs: 50 });
    cleanups.push(() => db.close());
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const lock = await lockOn(path);
    for (let i = 0; i < 3; i++) {
      const err = await db.execute('INSERT INTO t (v) VALUES (?)', [`refused ${i}`]).catch((e: unknown) => e);
      expect(err).toBeCairnError('STORE_BUSY');
    }
    await lock.release();
    for (let i = 0; i < 5; i++) await db.execute('INSERT INTO t (v) VALUES (?)', [`acknowledged ${i}`]);
    const fresh = createClient({ url: `file:${path}` });
    const rows = await fresh.execute('SELECT v FROM t ORDER BY id');
    fresh.close();
    expect(rows.rows.map((r) => r.v)).toEqual(Array.from({ length: 5 }, (_, i) => `acknowledged ${i}`));
  });
});
