import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/client.js';

const open: TestServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const DAY = 86_400_000;

async function server(opts: TestServerOptions = {}) {
  const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
  const s = await startTestServer({ clock, ...opts });
  open.push(s);
  /** Remembers, then moves the clock a minute on (past the retry window). */
  const remember = async (args: Record<string, unknown>) => {
    const r = await s.call('remember', args);
    clock.advance(60_000);
    return r.id;
  };
  return { s, clock, remember };
}

/** The JSON of `cairn://memories/{id}`. */
async function history(s: TestServer, id: string) {
  const res = await s.client.readResource({ uri: `cairn://memories/${id}` });
  return JSON.parse(String((res.contents[0] as { text: string }).text));
}

const ids = async (s: TestServer, args: Record<string, unknown>) => (await s.call('query_memory', args)).results.map((r) => r.id);

/** Near-duplicates of two facts; facts like them that differ in a number, a name or the kind; an unrelated one. */
async function plant(remember: (a: Record<string, unknown>) => Promise<string>) {
  const db = await remember({ content: 'The staging database runs on port 5433', kind: 'fact', tags: ['ops'] });
  const dbCase = await remember({ content: 'the  STAGING database runs on port 5433!', kind: 'fact', tags: ['staging'] });
  const dbPara = await remember({ content: 'The staging database runs on port 5433 by default', kind: 'fact', importance: 0.9 });
  const prod = await remember({ content: 'The production database runs on port 5432', kind: 'fact' });
  const milk = await remember({ content: 'Alice prefers oat milk in her coffee', kind: 'preference' });
  const milkPunct = await remember({ content: 'Alice prefers oat-milk in her coffee.', kind: 'preference' });
  const milkNote = await remember({ content: 'Alice prefers oat milk in her coffee', kind: 'note' });
  const bob = await remember({ content: 'Bob prefers oat milk in his coffee', kind: 'preference' });
  const lunch = await remember({ content: 'Lunch is at noon on Fridays', kind: 'fact' });
  return { db, dbCase, dbPara, prod, milk, milkPunct, milkNote, bob, lunch };
}

describe('curator', () => {
  it('dry run: reports the merges it would make, with rule and score, and writes nothing', async () => {
    const { s, remember } = await server();
    const m = await plant(remember);
    const before = await s.call('query_memory', { query: 'staging database port', limit: 20 });
    const plan = await s.app.curator.run('default', { dryRun: true });
    expect(plan.runId).toBeNull();
    expect(plan.considered).toBe(9);
    const pairs = plan.merges.map((x) => [x.sourceId, x.targetId, x.rule]);
    expect(pairs).toEqual(
      expect.arrayContaining([
        [m.dbCase, m.db, 'same-text'],
        [m.dbPara, m.db, 'vector'],
        [m.milkPunct, m.milk, 'same-text'],
      ]),
    );
    expect(pairs).toHaveLength(3);
    expect(plan.merges.find((x) => x.sourceId === m.dbPara)!.score).toBeGreaterThanOrEqual(0.75);
    expect(await s.app.curator.runs('default')).toEqual([]);
    expect(await s.call('query_memory', { query: 'staging database port', limit: 20 })).toMatchObject({ results: before.results });
  });

  it('apply: one canonical memory per cluster keeps every original readable, its tags and the highest importance', async () => {
    const { s, remember } = await server();
    const m = await plant(remember);
    const run = await s.app.curator.run('default');
    expect(run.runId).toEqual(expect.any(String));
    expect(run.merges).toHaveLength(3);

    const databases = [m.db, m.dbCase, m.dbPara, m.prod];
    const visible = await ids(s, { query: 'database port', limit: 20 });
    expect(visible.filter((id) => databases.includes(id)).sort()).toEqual([m.db, m.prod].sort());
    const all = await s.call('query_memory', { query: 'database port', limit: 20, include_superseded: true, explain: true });
    expect(
      all.results
        .map((r) => r.id)
        .filter((id) => databases.includes(id))
        .sort(),
    ).toEqual([...databases].sort());
    expect(all.results.find((r) => r.id === m.dbPara)).toMatchObject({ merged_into: m.db });
    const canonical = all.results.find((r) => r.id === m.db)!;
    expect(canonical).toMatchObject({ tags: ['ops', 'staging'], importance: 0.9 });
    // A tag only a merged original carried still finds the fact.
    expect(await ids(s, { query: 'database', tags: ['staging'] })).toEqual([m.db]);

    const h = await history(s, m.db);
    expect(h.merged.map((x: { id: string; content: string }) => [x.id, x.content]).sort()).toEqual(
      [
        [m.dbCase, 'the STAGING database runs on port 5433!'],
        [m.dbPara, 'The staging database runs on port 5433 by default'],
      ].sort(),
    );
    const merges = h.events.filter((e: { action: string }) => e.action === 'merge');
    expect(merges).toHaveLength(2);
    for (const e of merges)
      expect(e).toMatchObject({
        actor: 'cli',
        run_id: run.runId,
        related_id: m.db,
        score: expect.any(Number),
        rule: expect.stringMatching(/^(same-text|vector)$/),
      });
    expect((await history(s, m.dbPara)).memory).toMatchObject({ status: 'merged', merged_into: m.db });
    expect((await s.call('health_check')).counts.memories).toBe(9 - 3);
  });

  it('never merges different numbers or names, other kinds, or the same words on different days', async () => {
    const { s, remember } = await server();
    const m = await plant(remember);
    const run1 = await remember({ content: 'Went running in the park with Sam', kind: 'event', occurred_at: '2026-01-01T07:00:00Z' });
    const run2 = await remember({ content: 'Went running in the park with Sam', kind: 'event', occurred_at: '2026-01-03T07:00:00Z' });
    const out = await s.app.curator.run('default');
    const merged = new Set(out.merges.map((x) => x.sourceId));
    for (const id of [m.prod, m.milkNote, m.bob, m.lunch, run1, run2, m.db, m.milk]) expect(merged.has(id), id).toBe(false);
  });

  it('undo: every merged memory comes back, the canonical gets its tags back, and the pairs are never merged again', async () => {
    const { s, remember } = await server();
    const m = await plant(remember);
    const run = await s.app.curator.run('default');
    const undo = await s.app.curator.undo('default', run.runId!);
    expect(undo.unmerged.sort()).toEqual([m.dbCase, m.dbPara, m.milkPunct].sort());
    expect(undo.kept).toEqual([]);
    expect((await ids(s, { query: 'staging database port', limit: 20 })).sort()).toEqual(expect.arrayContaining([m.db, m.dbCase, m.dbPara]));
    const canonical = (await s.call('query_memory', { query: 'staging database', tags: ['ops'], explain: true })).results.find((r) => r.id === m.db)!;
    expect(canonical).toMatchObject({ tags: ['ops'], importance: 0.5 });
    expect((await history(s, m.dbCase)).events.map((e: { action: string }) => e.action)).toEqual(['remember', 'merge', 'unmerge']);

    const again = await s.app.curator.run('default');
    expect(again.merges).toEqual([]);
    expect((await s.app.curator.runs('default')).map((r) => [r.id, r.undoneAt !== null])).toEqual(expect.arrayContaining([[run.runId, true]]));
    await expect(s.app.curator.undo('default', run.runId!)).rejects.toBeCairnError('CONFLICT', /already undone/);
    await expect(s.app.curator.undo('default', '0190aaaa-0000-7000-8000-000000000000')).rejects.toBeCairnError('NOT_FOUND', /no curation run/);
  });

  it('works incrementally: a later run compares only what is new, and an earlier run cannot be undone under it', async () => {
    const { s, remember } = await server();
    const a = await remember({ content: 'The release train leaves every second Tuesday', kind: 'fact' });
    const b = await remember({ content: 'The release-train leaves every second Tuesday!', kind: 'fact' });
    const first = await s.app.curator.run('default');
    expect(first.merges.map((x) => x.sourceId)).toEqual([b]);
    expect(first.new).toBe(2);
    const c = await remember({ content: 'The release train leaves, every second Tuesday.', kind: 'fact' });
    const second = await s.app.curator.run('default');
    expect(second.new).toBe(1);
    expect(second.merges.map((x) => [x.sourceId, x.targetId])).toEqual([[c, a]]);
    await expect(s.app.curator.undo('default', first.runId!)).rejects.toBeCairnError(
      'CONFLICT',
      new RegExp(`later run ${second.runId} merged some of the same memories`),
    );
    await s.app.curator.undo('default', second.runId!);
    await s.app.curator.undo('default', first.runId!);
    expect((await ids(s, { query: 'release train' })).sort()).toEqual([a, b, c].sort());
    const quiet = await s.app.curator.run('default');
    expect(quiet.merges).toEqual([]);
  });

  it('restoring one merged memory pulls it apart for good', async () => {
    const { s, remember } = await server();
    const a = await remember({ content: 'Invoices go to accounts@example.com', kind: 'fact' });
    const b = await remember({ content: 'Invoices go to: accounts@example.com', kind: 'fact' });
    await s.app.curator.run('default');
    expect(await s.call('forget', { id: b, restore: true })).toEqual({ id: b, status: 'restored' });
    expect((await history(s, b)).events.at(-1)).toMatchObject({ action: 'unmerge', related_id: a, actor: 'client', details: { was: 'merged' } });
    expect((await s.app.curator.run('default')).merges).toEqual([]);
  });

  it('the background pass runs namespaces with changes only', async () => {
    const { s, remember } = await server();
    await remember({ content: 'Garden: water the tomatoes daily', kind: 'note' });
    await remember({ content: 'garden: water the tomatoes daily!', kind: 'note' });
    const first = await s.app.curator.tick();
    expect(first.map((r) => [r.namespace, r.merges.length])).toEqual([['default', 1]]);
    expect(first[0]!.merges[0]).toMatchObject({ rule: 'same-text', score: 1 });
    expect(await s.app.curator.tick()).toEqual([]);
    expect((await s.app.curator.runs('default')).map((r) => r.actor)).toEqual(['curator']);
  });
});

describe('decay', () => {
  it('lowers the rank of memories left unused, never below its floor, never deleting; use keeps a memory fresh', async () => {
    const { s, clock, remember } = await server();
    const used = await remember({ content: 'Project Kestrel kickoff notes: scope and owners' });
    const idle = await remember({ content: 'Project Kestrel kickoff notes: budget and owners' });
    clock.advance(60 * DAY);
    // Queries return both; only `used` is asked for afterwards.
    await s.call('query_memory', { query: 'Kestrel kickoff scope' });
    const usedRow = async () => (await s.app.db.execute('SELECT access_count FROM memories WHERE id = ?', [used])).rows[0]!.access_count;
    expect(Number(await usedRow())).toBe(0); // counted in memory, not written per query
    await s.app.curator.run('default');
    expect(Number(await usedRow())).toBeGreaterThan(0);
    clock.advance(60 * DAY);
    for (let i = 0; i < 3; i++) await s.call('query_memory', { query: 'Kestrel scope', limit: 1 });
    const run = await s.app.curator.run('default');
    expect(run.decayed).toBeGreaterThan(0);
    const q = await s.call('query_memory', { query: 'Project Kestrel kickoff notes owners', explain: true });
    const part = (id: string) => q.results.find((r) => r.id === id)!.score_parts!.decay!;
    expect(part(used)).toBeGreaterThan(part(idle));
    expect(part(idle)).toBeGreaterThanOrEqual(0.75);
    expect(part(idle)).toBeLessThan(1);
    expect((await s.call('health_check')).counts.memories).toBe(2);
  });
});
