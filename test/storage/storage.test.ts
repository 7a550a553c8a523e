import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { openLibsql } from '../../src/storage/libsql.js';
import { migrate } from '../../src/storage/migrate.js';
import { withResilience } from '../../src/storage/resilience.js';
import type { Db } from '../../src/storage/types.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

const homes: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome();
  homes.push(h);
  return h;
};

describe('migrations', () => {
  it('applies once, records versions, and is idempotent across restarts', async () => {
    const h = home();
    const db = await openLibsql({ url: `file:${join(h, 'c.db')}` });
    const v1 = await migrate(db, silentLogger);
    const v2 = await migrate(db, silentLogger);
    expect(v2).toBe(v1);
    const rows = await db.execute('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => Number(r.version))).toEqual(Array.from(new Set(rows.rows.map((r) => Number(r.version)))));
    const mode = await db.execute('PRAGMA journal_mode');
    expect(String(mode.rows[0]![0]).toLowerCase()).toBe('wal');
    db.close();
  });

  it('refuses a database written by a newer Cairn', async () => {
    const h = home();
    const db = await openLibsql({ url: `file:${join(h, 'cairn.db')}` });
    await migrate(db, silentLogger);
    await db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
    db.close();
    await expect(startTestServer({ home: h })).rejects.toBeCairnError('STORE_NEWER_THAN_CODE', /schema is version 999 .* upgrade cairn-mcp/);
  });
});

describe('cache', () => {
  it('a broken cache never fails a request; health reports it degraded', async () => {
    const h = home();
    writeFileSync(join(h, 'cache'), 'not a folder');
    const s = await startTestServer({ home: h });
    servers.push(s);
    const { episode_id } = await s.call('start_episode', { task: 't', task_type: 'testing', domain: 'd' });
    await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect((await s.call('get_episode', { episode_id })).episode.status).toBe('completed');
    const health = await s.call('health_check');
    expect(health.cache.ok).toBe(false);
    expect(health.status).toBe('degraded');
  });

  it('deleting the cache folder between runs loses nothing', async () => {
    const h = home();
    let s = await startTestServer({ home: h });
    const { episode_id } = await s.call('start_episode', { task: 'cached task', task_type: 'testing', domain: 'd' });
    await s.call('log_step', { episode_id, tool: 'x', action: 'y', result: { type: 'success' } });
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    await s.close();
    rmSync(join(h, 'cache'), { recursive: true, force: true });
    s = await startTestServer({ home: h });
    servers.push(s);
    const { episode } = await s.call('get_episode', { episode_id });
    expect(episode.reward!.total).toBe(done.reward.total);
    expect(episode.steps).toHaveLength(1);
    expect(s.app.cache.stats().misses).toBe(1);
  });
});

describe('resilience', () => {
  /** A Db whose calls fail with a given error a set number of times (a stand-in for a flaky network primary). */
  function flaky(failures: number, message: string): Db & { calls: number } {
    const d = {
      url: 'libsql://flaky',
      local: false,
      calls: 0,
      async execute() {
        d.calls++;
        if (d.calls <= failures) throw new Error(message);
        return { rows: [], columns: [], columnTypes: [], rowsAffected: 1, lastInsertRowid: undefined, toJSON: () => ({}) } as never;
      },
      batch: async () => [],
      transaction: async <T>(fn: (tx: never) => Promise<T>) => fn({} as never),
      close() {},
    };
    return d;
  }

  it('retries network errors with backoff 100 → 400 → 1600 ms, then succeeds', async () => {
    const waits: number[] = [];
    const inner = flaky(3, 'fetch failed');
    const db = withResilience(inner, { clock: createManualClock(), logger: silentLogger, sleep: async (ms) => void waits.push(ms) });
    await db.execute('SELECT 1');
    expect(waits).toEqual([100, 400, 1600]);
    expect(inner.calls).toBe(4);
  });

  it('does not retry a SQL error', async () => {
    const inner = flaky(1, 'SQLITE_ERROR: no such table: x');
    const db = withResilience(inner, { clock: createManualClock(), logger: silentLogger, sleep: async () => {} });
    await expect(db.execute('SELECT * FROM x')).rejects.toThrow(/no such table/);
    expect(inner.calls).toBe(1);
  });

  it('opens the breaker after 5 failed calls, fails fast while open, and closes after a good probe', async () => {
    const clock = createManualClock();
    const inner = flaky(5 * 4, 'fetch failed');
    const db = withResilience(inner, { clock, logger: silentLogger, sleep: async () => {} });
    for (let i = 0; i < 5; i++) await expect(db.execute('SELECT 1')).rejects.toBeCairnError('STORE_UNAVAILABLE');
    expect(db.breaker().state).toBe('open');
    const before = inner.calls;
    await expect(db.execute('INSERT 1')).rejects.toBeCairnError('STORE_UNAVAILABLE', /primary store unavailable .*nothing was written/);
    expect(inner.calls).toBe(before);
    clock.advance(30_000);
    expect(db.breaker().state).toBe('half-open');
    await db.execute('SELECT 1');
    expect(db.breaker().state).toBe('closed');
  });
});

describe('lock contention is not an outage', () => {
  it('waits out SQLITE_BUSY until busyWaitMs, answers STORE_BUSY, and never opens the breaker', async () => {
    const clock = createManualClock();
    let calls = 0;
    let locked = true;
    const inner: Db = {
      url: 'libsql://busy',
      local: false,
      async execute() {
        calls++;
        if (locked) throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
        return { rows: [], columns: [], columnTypes: [], rowsAffected: 1, lastInsertRowid: undefined, toJSON: () => ({}) } as never;
      },
      batch: async () => [],
      transaction: async <T>(fn: (tx: never) => Promise<T>) => fn({} as never),
      close() {},
    };
    const db = withResilience(inner, { clock, logger: silentLogger, busyWaitMs: 1000, sleep: async (ms) => clock.advance(ms) });
    for (let i = 0; i < 8; i++) {
      const err = await db.execute('INSERT INTO t VALUES (1)').catch((e: unknown) => e);
      expect(err).toBeCairnError('STORE_BUSY', /another process holds the database write lock .*nothing was written/);
    }
    expect(calls).toBeGreaterThan(8 * 2);
    expect(db.breaker()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    locked = false;
    await db.execute('INSERT INTO t VALUES (1)');
  });
});

describe('in-process write serialisation', () => {
  it('interleaves interactive transactions (complete_episode) with other writes without stalling or failing', async () => {
    const s = await startTestServer();
    servers.push(s);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { episode_id } = await s.call('start_episode', { task: `task ${i}`, task_type: 'testing', domain: 'd' });
      await s.call('log_step', { episode_id, tool: 'a', action: 'x', result: { type: 'error' } });
      await s.call('log_step', { episode_id, tool: 'b', action: 'y', result: { type: 'success' } });
      ids.push(episode_id);
    }
    // Without serialisation each collision busy-waits the event loop for the 5 s busy timeout, and
    // this test runs past its timeout (seen: 46 s) instead of finishing in well under a second.
    const results = await Promise.allSettled([
      ...ids.map((episode_id) => s.call('complete_episode', { episode_id, outcome: { type: 'success' } })),
      ...Array.from({ length: 40 }, (_, i) => s.call('remember', { content: `concurrent memory ${i}` })),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await s.call('health_check')).counts).toMatchObject({ memories: 40, episodes_completed: 10 });
  });
});
