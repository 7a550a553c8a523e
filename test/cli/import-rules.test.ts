import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempHome } from '../helpers/client.js';
import { cairn, cliEnv } from './run.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome('cairn-import-rules-');
  homes.push(h);
  return h;
};

/** A home with a row in every table: memories (and their embeddings), episodes, steps, patterns, ADHD records. */
async function populate(h: string) {
  const s = await startTestServer({ home: h });
  try {
    await s.call('remember', {
      content: 'The staging database runs Postgres 16',
      kind: 'fact',
      tags: ['db'],
      importance: 0.8,
      metadata: { source: 'runbook' },
    });
    await s.call('remember', { content: 'Backups run nightly at 02:00', occurred_at: '2026-01-05T02:00:00Z', source: 'cron' });
    const forgotten = await s.call('remember', { content: 'An outdated note' });
    await s.call('forget', { id: forgotten.id, reason: 'superseded' });
    for (let i = 0; i < 3; i++) {
      const { episode_id } = await s.call('start_episode', {
        task: `deploy the api ${i}`,
        task_type: 'deploy',
        domain: 'ops',
        tags: ['api'],
        context: { env: 'staging' },
      });
      await s.call('log_step', {
        episode_id,
        tool: 'build',
        action: 'compile',
        parameters: { target: 'api' },
        result: { type: 'error', message: 'missing dep' },
        latency_ms: 120,
      });
      await s.call('log_step', { episode_id, tool: 'npm', action: 'install the dep', result: { type: 'success', output: 'ok' } });
      await s.call('log_step', { episode_id, tool: 'build', action: 'compile again', result: { type: 'success' } });
      await s.call('complete_episode', { episode_id, outcome: { type: 'success', verdict: 'shipped', artifacts: ['coverage.xml'] } });
    }
    const failed = await s.call('start_episode', { task: 'rotate the keys', task_type: 'deploy', domain: 'ops' });
    await s.call('complete_episode', {
      episode_id: failed.episode_id,
      outcome: { type: 'failure', reason: 'vault sealed', error_details: 'permission denied' },
    });
    const open = await s.call('start_episode', { task: 'write the runbook', task_type: 'docs', domain: 'ops' });
    await s.call('log_step', { episode_id: open.episode_id, tool: 'editor', action: 'outline' });
    const plan = await s.call('break_down_task', {
      task: 'clear the desk',
      steps: [
        { title: 'Sort the papers', estimate_minutes: 10, energy: 'low' },
        { title: 'File the bills', estimate_minutes: 15 },
      ],
      category: 'admin',
      use_model: false,
    });
    const step = plan.steps.find((x) => x.title === 'Sort the papers')!.id;
    await s.call('update_task', { task_id: step, status: 'done', actual_minutes: 12, note: 'took longer than hoped' });
    await s.call('log_energy', { level: 7, attention: 'focused', mood: 'calm', note: 'after coffee' });
    await s.call('log_energy', { level: 2, attention: 'depleted' });
    await s.call('focus', { action: 'start', task_id: plan.steps.find((x) => x.title === 'File the bills')!.id });
    await s.call('focus', { action: 'break', kind: 'water' });
    await s.call('get_check_ins');
    return { step, open: open.episode_id as string, rootId: plan.task.id as string };
  } finally {
    await s.close();
  }
}

async function exportOf(h: string): Promise<string[]> {
  const file = join(h, 'export.jsonl');
  const r = await cairn(['export', '--out', file], cliEnv(h));
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe('import checks every row with the tools rules', () => {
  it('accepts every row Cairn itself wrote, in every table', async () => {
    const a = home();
    await populate(a);
    const lines = await exportOf(a);
    const tables = new Set(
      lines
        .map((l) => JSON.parse(l))
        .filter((l) => l.type === 'row')
        .map((l) => l.table),
    );
    for (const t of [
      'memories',
      'episodes',
      'episode_steps',
      'patterns',
      'adhd_tasks',
      'adhd_energy',
      'adhd_focus_sessions',
      'adhd_breaks',
      'adhd_check_ins',
      'embeddings',
    ])
      expect(tables).toContain(t);
    const b = home();
    const r = await cairn(['import', join(a, 'export.jsonl')], cliEnv(b));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.rejected).toEqual({});
    expect(report.rejected_rows).toEqual([]);
    for (const key of Object.keys(report)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it('refuses malformed rows by line number, imports the rest, and the namespace keeps answering', async () => {
    const a = home();
    const { open, rootId } = await populate(a);
    const lines = await exportOf(a);
    const end = lines.pop()!;
    const memory = JSON.parse(lines.find((l) => l.includes('"table":"memories"'))!).data;
    const step = JSON.parse(lines.find((l) => l.includes('"table":"episode_steps"') && l.includes(open))!).data;
    const bad = (id: string, patch: Record<string, unknown>) =>
      JSON.stringify({ type: 'row', table: 'memories', data: { ...memory, id, content: `bad row ${id}`, content_hash: `h-${id}`, ...patch } });
    const good = JSON.stringify({
      type: 'row',
      table: 'memories',
      data: { ...memory, id: 'good-1', content: 'an imported good row about kettles', content_hash: 'h-good-1' },
    });
    const injected = [
      bad('bad-tags', { tags: '{not json' }),
      bad('bad-importance', { importance: 'abc' }),
      good,
      bad('bad-kind', { kind: 'bogus' }),
      JSON.stringify({ type: 'row', table: 'episode_steps', data: { ...step, step_number: 7, parameters: '{"x":' } }),
      '{"type":"row","table":"memories"',
    ];
    const firstBad = lines.length + 1;
    const file = join(a, 'bad.jsonl');
    writeFileSync(file, [...lines, ...injected, end].join('\n'));

    const b = home();
    const r = await cairn(['import', file], cliEnv(b));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`5 rows refused \\(lines ${firstBad}, ${firstBad + 1}, ${firstBad + 3}, ${firstBad + 4}, ${firstBad + 5}\\)`));
    const report = JSON.parse(r.stdout);
    expect(report.rejected).toEqual({ memories: 3, episode_steps: 1, '(not a row)': 1 });
    expect(report.rejected_rows).toEqual([
      { line: firstBad, table: 'memories', id: 'bad-tags', reason: expect.stringMatching(/^tags is not JSON/) },
      { line: firstBad + 1, table: 'memories', id: 'bad-importance', reason: 'importance must be a number from 0 to 1 (got "abc")' },
      { line: firstBad + 3, table: 'memories', id: 'bad-kind', reason: 'kind must be one of note, fact, preference, observation, event (got "bogus")' },
      { line: firstBad + 4, table: 'episode_steps', id: open, reason: expect.stringMatching(/^parameters is not JSON/) },
      { line: firstBad + 5, table: null, id: null, reason: expect.stringMatching(/not valid JSON/) },
    ]);
    expect(report.inserted.memories).toBe(4);

    const s = await startTestServer({ home: b });
    try {
      const q = await s.call('query_memory', { query: 'kettles' });
      expect(q.results.map((x) => x.id)).toContain('good-1');
      expect((await s.call('get_episode', { episode_id: open })).episode.steps).toHaveLength(1);
      const rc = await s.call('recover_context');
      expect(rc.open_tasks.map((t) => t.task.id)).toContain(rootId);
      expect(rc.open_episodes.map((e) => e.id)).toEqual([open]);
    } finally {
      await s.close();
    }
  });

  it('--strict stops at the first refused row and names its line', async () => {
    const h = home();
    const header = JSON.stringify({
      type: 'cairn-export',
      format_version: 1,
      cairn_version: 'x',
      schema_version: 1,
      namespace: 'n',
      exported_at: '',
      tables: ['memories'],
    });
    const row = (id: string, importance: unknown) =>
      JSON.stringify({
        type: 'row',
        table: 'memories',
        data: { id, content: `memory ${id}`, kind: 'note', importance, content_hash: `h${id}`, created_at: 1, updated_at: 1 },
      });
    const file = join(h, 'strict.jsonl');
    writeFileSync(file, [header, row('a', 0.5), row('b', 7), row('c', 0.5), JSON.stringify({ type: 'end', counts: {} })].join('\n'));
    const r = await cairn(['import', file, '--strict'], cliEnv(h));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/line 3 \(memories b\): importance must be a number from 0 to 1 \(got 7\); stopped there \(--strict\)/);
    const s = await startTestServer({ home: h });
    try {
      expect((await s.call('health_check')).counts.memories).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('server-memory: an observation the remember tool would refuse is reported with its line', async () => {
    const h = home();
    const file = join(h, 'memory.jsonl');
    writeFileSync(
      file,
      [
        { type: 'entity', name: 'Ada', entityType: 'person', observations: ['Writes compilers'] },
        { type: 'entity', name: 'Huge', entityType: 'blob', observations: ['x'.repeat(25_000)] },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const r = await cairn(['import', file], cliEnv(h));
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ format: 'server-memory', inserted: { observations: 1 }, rejected: { observations: 1 } });
    expect(report.rejected_rows).toEqual([
      { line: 2, table: 'observations', id: null, reason: 'the observation would make a memory whose content must be at most 20000 characters' },
    ]);
  });
});
