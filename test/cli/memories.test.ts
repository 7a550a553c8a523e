import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, tempHome } from '../helpers/client.js';
import { cairn, cliEnv } from './run.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** A home with five memories a minute apart: two near-duplicates, one superseded, one forgotten. */
async function populate() {
  const home = tempHome('cairn-cli-mem-');
  homes.push(home);
  const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
  const s = await startTestServer({ home, clock });
  const put = async (args: Record<string, unknown>) => {
    const r = await s.call('remember', args);
    clock.advance(60_000);
    return r.id;
  };
  const vpn = await put({ content: 'The VPN config lives in 1Password', kind: 'fact', tags: ['ops'] });
  const vpnDup = await put({ content: 'the VPN config lives in 1Password!', kind: 'fact' });
  const port = await put({ content: 'Postgres runs on port 5432 in staging', kind: 'fact' });
  const port2 = await put({ content: 'Postgres runs on port 5433 in staging', kind: 'fact', supersedes: [port] });
  const milk = await put({ content: 'Alice prefers oat milk', kind: 'preference' });
  await s.call('forget', { id: milk, reason: 'she switched' });
  await s.close();
  return { home, vpn, vpnDup, port, port2, milk };
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout);

describe('cairn memories', () => {
  it('lists newest first with a cursor, filters, and --all for superseded ones', async () => {
    const m = await populate();
    const env = cliEnv(m.home);
    const first = await cairn(['memories', 'list', '--limit', '2'], env);
    expect(first.code, first.stderr).toBe(0);
    const page1 = json(first);
    expect(page1.memories.map((x: { id: string }) => x.id)).toEqual([m.port2, m.vpnDup]);
    expect(page1.memories[0]).toMatchObject({ status: 'live', content: 'Postgres runs on port 5433 in staging', kind: 'fact', access_count: 0, decay: 1 });
    const page2 = json(await cairn(['memories', 'list', '--limit', '2', '--cursor', page1.next_cursor], env));
    expect(page2.memories.map((x: { id: string }) => x.id)).toEqual([m.vpn]);
    expect(page2.next_cursor).toBeNull();
    const all = json(await cairn(['memories', 'list', '--all'], env));
    expect(all.memories.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [m.port2, 'live'],
      [m.port, 'superseded'],
      [m.vpnDup, 'live'],
      [m.vpn, 'live'],
    ]);
    expect(json(await cairn(['memories', 'list', '--tag', 'ops'], env)).memories.map((x: { id: string }) => x.id)).toEqual([m.vpn]);
    expect(json(await cairn(['memories', 'list', '--kind', 'preference'], env)).memories).toEqual([]);
  });

  it('shows a memory in any state with its links and history, and forgets and restores with an audit trail', async () => {
    const m = await populate();
    const env = cliEnv(m.home);
    const old = json(await cairn(['memories', 'show', m.port], env));
    expect(old.memory).toMatchObject({ id: m.port, status: 'superseded', superseded_by: m.port2 });
    expect(old.superseded_by).toMatchObject({ id: m.port2, content: 'Postgres runs on port 5433 in staging' });
    const gone = json(await cairn(['memories', 'show', m.milk], env));
    expect(gone.memory).toMatchObject({ status: 'forgotten', forgotten_reason: 'she switched' });

    expect(json(await cairn(['memories', 'restore', m.milk], env))).toEqual({ id: m.milk, status: 'restored', was: 'forgotten' });
    expect(json(await cairn(['memories', 'forget', m.vpn, '--reason', 'moved to the wiki'], env))).toEqual({ id: m.vpn, status: 'forgotten' });
    expect(json(await cairn(['memories', 'restore', m.port], env))).toMatchObject({ status: 'restored', was: 'superseded' });
    const h = json(await cairn(['memories', 'show', m.vpn], env));
    expect(h.events.map((e: { action: string; actor: string; rule: string | null }) => [e.action, e.actor, e.rule])).toEqual([
      ['remember', 'client', null],
      ['forget', 'cli', 'moved to the wiki'],
    ]);
    const s = await startTestServer({ home: m.home });
    try {
      const found = await s.call('query_memory', { query: 'oat milk' });
      expect(found.results[0]!.id).toBe(m.milk);
    } finally {
      await s.close();
    }
  });

  it('exits 2 on bad usage and 1 naming the problem for an unknown id or nothing to restore', async () => {
    const m = await populate();
    const env = cliEnv(m.home);
    for (const args of [
      ['memories'],
      ['memories', 'drop', m.vpn],
      ['memories', 'show'],
      ['memories', 'list', '--limit', '0'],
      ['memories', 'list', '--kind', 'thought'],
    ]) {
      const r = await cairn(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^cairn memories: .+; run "cairn memories --help"/);
    }
    const unknown = await cairn(['memories', 'show', '0190aaaa-0000-7000-8000-000000000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/NOT_FOUND: id: no memory 0190aaaa-0000-7000-8000-000000000000/);
    const live = await cairn(['memories', 'restore', m.vpn], env);
    expect(live.code).toBe(1);
    expect(live.stderr).toMatch(/CONFLICT: .*nothing to restore/);
    const badCursor = await cairn(['memories', 'list', '--cursor', 'nope'], env);
    expect(badCursor.code).toBe(1);
    expect(badCursor.stderr).toMatch(/INVALID_INPUT: cursor/);
  });
});

describe('export and import', () => {
  it('carry supersessions, merges, decay, access counts and the history across homes', async () => {
    const m = await populate();
    const env = cliEnv(m.home);
    expect((await cairn(['curate'], env)).code).toBe(0);
    const file = join(m.home, 'export.jsonl');
    const ex = await cairn(['export', '--out', file], env);
    expect(ex.code, ex.stderr).toBe(0);
    const other = tempHome('cairn-cli-mem-');
    homes.push(other);
    const im = await cairn(['import', file], cliEnv(other));
    expect(im.code, im.stderr).toBe(0);
    expect(JSON.parse(im.stdout)).toMatchObject({ inserted: { memories: 5, memory_events: 8, curation_runs: 1 } });
    for (const id of [m.vpn, m.vpnDup, m.port, m.port2, m.milk]) {
      const before = json(await cairn(['memories', 'show', id], env));
      expect(json(await cairn(['memories', 'show', id], cliEnv(other))), id).toEqual(before);
    }
  });
});

describe('cairn curate', () => {
  it('dry run, apply, show the originals from the canonical memory, list runs, undo', async () => {
    const m = await populate();
    const env = cliEnv(m.home);
    const dry = await cairn(['curate', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(json(dry)).toMatchObject({
      run_id: null,
      dry_run: true,
      merged: 1,
      merges: [{ source_id: m.vpnDup, target_id: m.vpn, rule: 'same-text', score: 1 }],
    });
    expect(json(await cairn(['curate', '--runs'], env)).runs).toEqual([]);
    expect(json(await cairn(['memories', 'show', m.vpnDup], env)).memory.status).toBe('live');

    const run = json(await cairn(['curate'], env));
    expect(run).toMatchObject({ dry_run: false, merged: 1, run_id: expect.any(String) });
    const canon = json(await cairn(['memories', 'show', m.vpn], env));
    expect(canon.merged).toEqual([
      expect.objectContaining({ id: m.vpnDup, content: 'the VPN config lives in 1Password!', status: 'merged', merged_into: m.vpn }),
    ]);
    expect(canon.events.find((e: { action: string }) => e.action === 'merge')).toMatchObject({
      memory_id: m.vpnDup,
      actor: 'cli',
      run_id: run.run_id,
      rule: 'same-text',
      score: 1,
    });
    expect(json(await cairn(['memories', 'list'], env)).memories.map((x: { id: string }) => x.id)).not.toContain(m.vpnDup);
    expect(json(await cairn(['curate', '--runs'], env)).runs).toEqual([expect.objectContaining({ run_id: run.run_id, merged: 1, undone_at: null })]);

    const undo = await cairn(['curate', '--undo', run.run_id], env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(json(undo)).toEqual({ run_id: run.run_id, unmerged: [m.vpnDup], kept: [] });
    expect(json(await cairn(['memories', 'show', m.vpnDup], env)).memory.status).toBe('live');
    const again = await cairn(['curate', '--undo', run.run_id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT: run: curation run .* was already undone/);
    expect((await cairn(['curate', '--undo'], env)).code).toBe(2);
  });
});
