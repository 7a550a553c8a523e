import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { skippedRowsOf } from '../../src/storage/rows.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';

const homes: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** Writes what the tools would, then breaks one row of each table straight in SQLite, as another tool could. */
async function corruptedHome() {
  const home = tempHome('cairn-bad-rows-');
  homes.push(home);
  const s = await startTestServer({ home });
  const mem = async (content: string) => (await s.call('remember', { content, tags: ['db'] })).id as string;
  const m = {
    tags: await mem('postgres tags row'),
    importance: await mem('postgres importance row'),
    kind: await mem('postgres kind row'),
    good: await mem('postgres good row'),
  };
  const ep = (await s.call('start_episode', { task: 'migrate the postgres schema', task_type: 'migration', domain: 'db' })).episode_id as string;
  for (const action of ['dump', 'migrate', 'verify']) await s.call('log_step', { episode_id: ep, tool: 'psql', action, result: { type: 'success' } });
  const broken = (await s.call('start_episode', { task: 'tune postgres vacuum', task_type: 'tuning', domain: 'db' })).episode_id as string;
  for (let i = 0; i < 3; i++) {
    const done = (await s.call('start_episode', { task: `deploy ${i}`, task_type: 'deploy', domain: 'ops' })).episode_id;
    for (const tool of ['build', 'test', 'ship']) await s.call('log_step', { episode_id: done, tool, action: tool, result: { type: 'success' } });
    await s.call('complete_episode', { episode_id: done, outcome: { type: 'success' } });
  }
  const plan = await s.call('break_down_task', {
    task: 'clear the desk',
    steps: [
      { title: 'Sort the papers', estimate_minutes: 10 },
      { title: 'File the bills', estimate_minutes: 10 },
    ],
    use_model: false,
  });
  const sorted = plan.steps.find((x) => x.title === 'Sort the papers')!.id as string;
  await s.call('log_energy', { level: 6, attention: 'focused', at: new Date(Date.now() - 60_000).toISOString() });
  await s.call('log_energy', { level: 2, attention: 'depleted' });
  await s.call('get_check_ins');
  const db = s.app.db;
  await db.execute(`UPDATE memories SET tags = '{not json' WHERE id = ?`, [m.tags]);
  await db.execute(`UPDATE memories SET importance = 'abc' WHERE id = ?`, [m.importance]);
  await db.execute(`UPDATE memories SET kind = 'bogus' WHERE id = ?`, [m.kind]);
  await db.execute(`UPDATE episode_steps SET parameters = '{"unterminated' WHERE episode_id = ? AND step_number = 2`, [ep]);
  await db.execute(`UPDATE episodes SET context = 'not json' WHERE id = ?`, [broken]);
  const patterns = Number((await db.execute(`SELECT COUNT(*) AS n FROM patterns WHERE merged_into IS NULL`)).rows[0]!.n);
  await db.execute(`UPDATE patterns SET data = '[1,' WHERE id = (SELECT id FROM patterns WHERE merged_into IS NULL ORDER BY wilson DESC LIMIT 1)`);
  await db.execute(`UPDATE adhd_tasks SET notes = '[{"at": "yesterday"}]' WHERE id = ?`, [sorted]);
  await db.execute(`UPDATE adhd_energy SET attention = 'zzz' WHERE level = 6`);
  await db.execute(`UPDATE adhd_check_ins SET details = 'oops'`);
  await s.close();
  return { home, m, ep, broken, patterns, plan };
}

describe('a bad stored row is skipped and reported, never fails the answer', () => {
  it('memories, episodes, steps, patterns and ADHD rows', async () => {
    const { home, m, ep, broken, patterns, plan } = await corruptedHome();
    const s = await startTestServer({ home });
    servers.push(s);

    const q = await s.call('query_memory', { query: 'postgres row', scope: ['memories'] });
    const ids = q.results.map((r) => r.id);
    expect(ids).toContain(m.good);
    for (const bad of [m.tags, m.importance, m.kind]) expect(ids).not.toContain(bad);
    expect((await s.call('query_memory', { query: 'postgres' })).results.length).toBeGreaterThan(0);

    const e = (await s.call('get_episode', { episode_id: ep })).episode;
    expect(e.steps.map((x) => x.action)).toEqual(['dump', 'verify']);
    expect(await s.callError('get_episode', { episode_id: broken })).toMatch(/^NOT_FOUND/);

    const rc = await s.call('recover_context');
    expect(rc.open_tasks.map((t) => t.task.id)).toContain(plan.task.id);
    expect(rc.open_episodes.map((x) => x.id)).toEqual([ep]);
    expect(rc.energy).toMatchObject({ level: 2 });

    const ap = await s.call('analyze_patterns', { min_success_rate: 0, min_support: 1, limit: 100 });
    expect(ap.patterns.length).toBe(patterns - 1);
    expect((await s.call('energy_report', { window_days: 7 })).current).toMatchObject({ level: 2 });
    expect(Array.isArray((await s.call('get_check_ins', { include_acknowledged: true })).check_ins)).toBe(true);

    expect(skippedRowsOf(s.app.db).counts()).toMatchObject({
      memories: 3,
      episodes: 1,
      episode_steps: 1,
      patterns: 1,
      adhd_tasks: 1,
      adhd_energy: 1,
      adhd_check_ins: 1,
    });
  });

  it('a completion whose patterns were damaged still completes, and the rows count in the app report', async () => {
    const home = tempHome('cairn-bad-heads-');
    homes.push(home);
    const s = await startTestServer({ home });
    servers.push(s);
    const run = async () => {
      const { episode_id } = await s.call('start_episode', { task: 'ship the api', task_type: 'deploy', domain: 'ops' });
      for (const tool of ['build', 'test', 'ship']) await s.call('log_step', { episode_id, tool, action: tool, result: { type: 'success' } });
      return s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    };
    await run();
    await s.app.db.execute(`UPDATE patterns SET occurrences = 'many' WHERE merged_into IS NULL`);
    // Resolving the episode's pattern keys reads the damaged rows: they are skipped, not fatal.
    expect((await run()).reward.total).toBeGreaterThan(0);
    expect(skippedRowsOf(s.app.db).counts().patterns).toBeGreaterThan(0);
  });

  it('logs each skipped row once with its table, id and the column at fault', async () => {
    const { home, m } = await corruptedHome();
    const child = await spawnCairn(home);
    try {
      for (let i = 0; i < 2; i++) await callOk(child.client, 'query_memory', { query: 'postgres row', scope: ['memories'] });
    } finally {
      await child.client.close();
    }
    const lines = child
      .stderr()
      .split('\n')
      .filter((l) => l.includes('skipped a stored row'))
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => l.id === m.tags)).toMatchObject({ level: 'warn', table: 'memories', reason: expect.stringMatching(/^tags is not JSON/) });
    expect(lines.find((l) => l.id === m.importance)).toMatchObject({ reason: expect.stringMatching(/^importance is not a number/) });
    expect(lines.find((l) => l.id === m.kind)).toMatchObject({ reason: expect.stringMatching(/^kind is "bogus", not one of note, fact/) });
    expect(lines.filter((l) => l.id === m.tags)).toHaveLength(1);
  });
});
