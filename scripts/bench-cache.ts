/**
 * The LMDB cache under damage, measured over real stdio children (hashing embedder):
 *  - per damage case (scripts/lib/cache-damage.ts): failed tool calls, answers that differ from
 *    the primary's, health seen while the file was checked, and spawn → cache in use again;
 *  - start-up with a populated cache: spawn → initialize and spawn → first get_episode answer.
 * Usage: node dist/scripts/bench-cache.js [--runs 15] [--cli PATH] [--startup-only]
 * (`--cli` measures another build's start-up, e.g. one of the commit before this change.)
 * Prints JSON. Not part of the test run.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CacheStats } from '../src/storage/types.js';
import { damageMatrix } from './lib/cache-damage.js';
import { quantile } from './lib/stats.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const RUNS = Number(opt('runs', '15'));
const CLI = opt('cli', fileURLToPath(new URL('../src/cli.js', import.meta.url)));
const OWN_CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const ENV = { CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'error', CAIRN_CHECKIN_MINUTES: '0' };

async function spawn(home: string, cli = OWN_CLI) {
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli],
    env: { PATH: process.env.PATH ?? '', CAIRN_HOME: home, ...ENV },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-cache', version: '1' });
  await client.connect(transport);
  return { client, t0, initMs: performance.now() - t0 };
}

async function call<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
  return res.structuredContent as T;
}

async function seedHome(): Promise<{ home: string; ids: string[] }> {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-cache-'));
  const { client } = await spawn(home);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { episode_id } = await call<{ episode_id: string }>(client, 'start_episode', {
      task: `task ${i}: ${'detail '.repeat(i * 5)}`,
      task_type: 'testing',
      domain: 'bench',
    });
    for (let j = 0; j < 5; j++)
      await call(client, 'log_step', {
        episode_id,
        tool: `tool${j}`,
        action: `step ${j} of episode ${i}`,
        result: { type: 'success', output: 'o'.repeat(40 * j) },
      });
    await call(client, 'complete_episode', { episode_id, outcome: { type: 'success' } });
    ids.push(episode_id);
  }
  for (let i = 0; i < 50; i++) await call(client, 'remember', { content: `bench fact ${i} about stone ${i * 7}` });
  for (const id of ids) await call(client, 'get_episode', { episode_id: id });
  await client.close();
  rmSync(join(home, 'run'), { recursive: true, force: true });
  return { home, ids };
}

function copy(from: string): string {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-cache-copy-'));
  cpSync(from, home, { recursive: true });
  return home;
}

async function readAll(client: Client, ids: string[], expected: Map<string, string>) {
  let failed = 0;
  let wrong = 0;
  for (const id of ids) {
    const res = await client.callTool({ name: 'get_episode', arguments: { episode_id: id } });
    if (res.isError) failed++;
    else if (JSON.stringify(res.structuredContent) !== expected.get(id)) wrong++;
  }
  return { failed, wrong };
}

async function damageCases(seeded: { home: string; ids: string[] }) {
  const primary = copy(seeded.home);
  rmSync(join(primary, 'cache'), { recursive: true, force: true });
  const p = await spawn(primary);
  const expected = new Map<string, string>();
  for (const id of seeded.ids) expected.set(id, JSON.stringify(await call(p.client, 'get_episode', { episode_id: id })));
  await p.client.close();
  rmSync(primary, { recursive: true, force: true });

  const out = [];
  for (const damage of damageMatrix(seeded.ids.map((id) => `episode:default:${id}`))) {
    const home = copy(seeded.home);
    damage.apply(join(home, 'cache', 'cache.mdb'));
    let failed = 0;
    let wrong = 0;
    let exited = false;
    const s = await spawn(home);
    s.client.onclose = () => (exited = true);
    const seen = new Set<string>();
    let health: { status: string; cache: CacheStats } | undefined;
    let rebuildMs = -1;
    for (let round = 0; round < 3; round++) {
      const r = await readAll(s.client, seeded.ids, expected).catch(() => ({ failed: seeded.ids.length, wrong: 0 }));
      failed += r.failed;
      wrong += r.wrong;
      while (rebuildMs < 0) {
        health = await call<{ status: string; cache: CacheStats }>(s.client, 'health_check');
        seen.add(`${health.status}/${health.cache.state}`);
        if (health.cache.state === 'ok') rebuildMs = Math.round(performance.now() - s.t0);
        else await new Promise((r) => setTimeout(r, 10));
      }
    }
    const crashed = exited;
    await s.client.close();
    rmSync(home, { recursive: true, force: true });
    out.push({
      case: damage.name,
      calls: seeded.ids.length * 3,
      failed_calls: failed,
      wrong_data: wrong,
      crashed,
      health_seen: [...seen],
      spawn_to_cache_in_use_ms: rebuildMs,
      found: health?.cache.damage ?? null,
    });
  }
  return out;
}

async function startup(seededHome: string, cli: string, firstId: string) {
  const init: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const home = copy(seededHome);
    const s = await spawn(home, cli);
    init.push(s.initMs);
    await call(s.client, 'get_episode', { episode_id: firstId });
    first.push(performance.now() - s.t0);
    await s.client.close();
    rmSync(home, { recursive: true, force: true });
  }
  const q = (xs: number[]) => ({ n: xs.length, p50_ms: +quantile(xs, 0.5).toFixed(1), p95_ms: +quantile(xs, 0.95).toFixed(1) });
  return { cli, spawn_to_initialize: q(init), spawn_to_first_get_episode: q(first) };
}

async function main() {
  const seeded = await seedHome();
  const out: Record<string, unknown> = { node: process.version, at: new Date().toISOString(), episodes: seeded.ids.length };
  if (!argv.includes('--startup-only')) out.damage = await damageCases(seeded);
  out.startup_with_populated_cache = await startup(seeded.home, CLI, seeded.ids[0]!);
  rmSync(seeded.home, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
