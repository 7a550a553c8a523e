/**
 * Cairn's headline numbers, measured over a real stdio child (hashing embedder, embedded libSQL):
 *  - spawn → initialize;
 *  - `remember` and `log_step` latency and throughput;
 *  - `query_memory` p50/p95 at 1k, 10k and 100k memories (seeded through the storage layer, then
 *    queried over stdio after a warm-up query loads the index);
 *  - the child's RSS.
 * Usage: node dist/scripts/bench.js [--sizes 1000,10000,100000] [--calls 500] [--queries 200]
 * (`--sizes 0` measures only start-up and writes.)
 * Prints JSON. Not part of the test run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { uuidv7 } from '../src/ids.js';
import { silentLogger } from '../src/logger.js';
import { contentHash } from '../src/memory/text.js';
import { mulberry32 } from '../src/prng.js';
import { quantile } from './lib/stats.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const SIZES = opt('sizes', '1000,10000,100000').split(',').map(Number).filter((n) => n > 0);
const CALLS = Number(opt('calls', '500'));
const QUERIES = Number(opt('queries', '200'));
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));
const ENV = { CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0' };

function summary(xs: number[]) {
  const q = (p: number) => +quantile(xs, p).toFixed(3);
  const total = xs.reduce((a, b) => a + b, 0);
  return { n: xs.length, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), mean_ms: +(total / xs.length).toFixed(3), per_s: Math.round((xs.length / total) * 1000) };
}

const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Yara'];
const VERBS = ['visited', 'painted', 'cooked', 'fixed', 'bought', 'planned', 'wrote', 'studied', 'repaired', 'discussed', 'booked', 'moved', 'cleaned', 'tested', 'deployed', 'reviewed'];
const THINGS = ['the garden', 'a bicycle', 'the quarterly report', 'a birthday cake', 'the kitchen sink', 'a trip to Lisbon', 'the database migration', 'a violin', 'the roof', 'a job interview', 'the tax forms', 'a marathon plan', 'the team offsite', 'a pottery class', 'the server cluster', 'a novel chapter', 'the wedding menu', 'a dentist appointment', 'the photo album', 'a camping weekend'];
const WHEN = ['on Monday', 'last weekend', 'in March', 'yesterday', 'after work', 'before the holidays', 'this morning', 'at night', 'during lunch', 'next month'];
function sentence(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const extra = r() < 0.5 ? ` with ${pick(NAMES)}` : '';
  return `${pick(NAMES)} ${pick(VERBS)} ${pick(THINGS)} ${pick(WHEN)}${extra} and felt ${pick(['happy', 'tired', 'proud', 'anxious', 'relieved', 'curious'])} about it (${Math.floor(r() * 1e6)}).`;
}

async function spawn(home: string) {
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: { PATH: process.env.PATH ?? '', CAIRN_HOME: home, ...ENV }, stderr: 'inherit' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const initMs = performance.now() - t0;
  const call = async (name: string, args: Record<string, unknown>) => {
    const a = performance.now();
    const res = await client.callTool({ name, arguments: args });
    if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
    return { ms: performance.now() - a, out: res.structuredContent as Record<string, any> };
  };
  const rssMb = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${transport.pid}/status`, 'utf8'));
    return m ? +(Number(m[1]) / 1024).toFixed(1) : null;
  };
  return { client, call, initMs, rssMb };
}

async function writes() {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const inits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = await spawn(mkdtempSync(join(tmpdir(), 'cairn-bench-init-')));
    inits.push(s.initMs);
    await s.client.close();
  }
  const s = await spawn(home);
  const r = mulberry32(7);
  for (let i = 0; i < 20; i++) await s.call('remember', { content: `warm-up ${i}` });
  const remember: number[] = [];
  for (let i = 0; i < CALLS; i++) remember.push((await s.call('remember', { content: sentence(r), tags: ['bench'] })).ms);
  const { out } = await s.call('start_episode', { task: 'benchmark episode', task_type: 'testing', domain: 'bench' });
  const logStep: number[] = [];
  for (let i = 0; i < CALLS; i++) logStep.push((await s.call('log_step', { episode_id: out.episode_id, tool: `tool${i % 5}`, action: `step ${i}`, result: { type: 'success' }, latency_ms: 5 })).ms);
  const rss = s.rssMb();
  await s.client.close();
  rmSync(home, { recursive: true, force: true });
  return { spawn_to_initialize: summary(inits), remember: summary(remember), log_step: summary(logStep), rss_mb_after_writes: rss };
}

async function seed(home: string, n: number) {
  const config = resolveConfig({ CAIRN_HOME: home, ...ENV }, []);
  const app = await createApp(config, { logger: silentLogger });
  const r = mulberry32(n);
  const t0 = performance.now();
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const content = sentence(r);
    const at = now - Math.floor(r() * 365 * 86_400_000);
    await app.repos.memories.insert({ id: uuidv7(), namespace: 'default', content, kind: 'note', tags: [], importance: 0.5, occurredAt: at, source: null, metadata: {}, contentHash: contentHash(content, 'note', at), createdAt: now, updatedAt: now, deletedAt: null, deletedReason: null });
  }
  const insertMs = performance.now() - t0;
  const t1 = performance.now();
  await app.memory.query('default', { query: 'warm up', scope: ['memories'], limit: 1 });
  const indexMs = performance.now() - t1;
  await app.close();
  return { insert_s: +(insertMs / 1000).toFixed(1), first_index_build_s: +(indexMs / 1000).toFixed(1) };
}

async function queries(n: number) {
  const home = mkdtempSync(join(tmpdir(), `cairn-bench-${n}-`));
  const seeded = await seed(home, n);
  const s = await spawn(home);
  const w0 = performance.now();
  await s.call('query_memory', { query: 'warm up the index', limit: 10 });
  const loadMs = performance.now() - w0;
  const r = mulberry32(99);
  const lat: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const q = `what did ${NAMES[Math.floor(r() * NAMES.length)]} do with ${THINGS[Math.floor(r() * THINGS.length)]}?`;
    lat.push((await s.call('query_memory', { query: q, limit: 10 })).ms);
  }
  const rss = s.rssMb();
  await s.client.close();
  rmSync(home, { recursive: true, force: true });
  return { memories: n, seed: seeded, index_load_in_child_s: +(loadMs / 1000).toFixed(2), query_memory: summary(lat), rss_mb: rss };
}

async function main() {
  const out: Record<string, unknown> = { node: process.version, embedder: 'hashing-v1-384', at: new Date().toISOString() };
  out.writes = await writes();
  out.queries = [];
  for (const n of SIZES) (out.queries as unknown[]).push(await queries(n));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
