/**
 * Cairn's headline numbers, measured over real stdio children (hashing embedder, embedded libSQL):
 *  - spawn → initialize;
 *  - `remember` and `log_step` latency and throughput;
 *  - per corpus size (memories seeded through the storage layer, then indexed once in-process,
 *    which saves the index snapshot):
 *    - the first `query_memory` of a fresh process that loads the snapshot (`--starts` times), and
 *      of one that has none and rebuilds from libSQL (the cache folder deleted first); health_check
 *      confirms which happened;
 *    - `query_memory` p50/p95/p99 and the child's RSS (VmRSS, anonymous and file-backed);
 *  - the same for `@modelcontextprotocol/server-memory` when it is installed next to Cairn
 *    (`npm install --no-save @modelcontextprotocol/server-memory`): its spawn → initialize, and
 *    `search_nodes` over a graph seeded with the same facts (one entity per fact, its memory.jsonl
 *    written directly), with ratios ours / peer. The peer gets the same questions (which its
 *    substring search rarely matches: its floor, loading and scanning the graph) and, reported
 *    apart, single keywords.
 * Usage: node dist/scripts/bench.js [--sizes 1000,10000,100000] [--calls 500] [--queries 200] [--starts 3]
 * (`--sizes 0` measures only start-up and writes.)
 * Prints JSON. Not part of the test run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
const SIZES = opt('sizes', '1000,10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const CALLS = Number(opt('calls', '500'));
const QUERIES = Number(opt('queries', '200'));
const STARTS = Number(opt('starts', '3'));
/** The bin as installed users run it: the bundle (`npm run build`). */
const CLI = fileURLToPath(new URL('../cairn.js', import.meta.url));
const ENV = { CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0' };

/** The peer's entry script, when the package is installed next to Cairn. */
function peerEntry(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-memory/package.json');
    const bin = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin: Record<string, string> }).bin;
    const entry = join(dirname(pkg), Object.values(bin)[0]!);
    return existsSync(entry) ? entry : null;
  } catch {
    return null;
  }
}
const PEER = peerEntry();

const round = (x: number, digits = 3) => +x.toFixed(digits);
function summary(xs: number[]) {
  const q = (p: number) => round(quantile(xs, p));
  const total = xs.reduce((a, b) => a + b, 0);
  return { n: xs.length, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), mean_ms: round(total / xs.length), per_s: Math.round((xs.length / total) * 1000) };
}
const ratio = (ours: number, peer: number | undefined) => (peer ? round(ours / peer, 2) : null);

const NAMES = [
  'Alice',
  'Bob',
  'Carol',
  'Dave',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
  'Mallory',
  'Niaj',
  'Olivia',
  'Peggy',
  'Rupert',
  'Sybil',
  'Trent',
  'Victor',
  'Walter',
  'Yara',
];
const VERBS = [
  'visited',
  'painted',
  'cooked',
  'fixed',
  'bought',
  'planned',
  'wrote',
  'studied',
  'repaired',
  'discussed',
  'booked',
  'moved',
  'cleaned',
  'tested',
  'deployed',
  'reviewed',
];
const THINGS = [
  'the garden',
  'a bicycle',
  'the quarterly report',
  'a birthday cake',
  'the kitchen sink',
  'a trip to Lisbon',
  'the database migration',
  'a violin',
  'the roof',
  'a job interview',
  'the tax forms',
  'a marathon plan',
  'the team offsite',
  'a pottery class',
  'the server cluster',
  'a novel chapter',
  'the wedding menu',
  'a dentist appointment',
  'the photo album',
  'a camping weekend',
];
const WHEN = [
  'on Monday',
  'last weekend',
  'in March',
  'yesterday',
  'after work',
  'before the holidays',
  'this morning',
  'at night',
  'during lunch',
  'next month',
];
function sentence(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const extra = r() < 0.5 ? ` with ${pick(NAMES)}` : '';
  return `${pick(NAMES)} ${pick(VERBS)} ${pick(THINGS)} ${pick(WHEN)}${extra} and felt ${pick(['happy', 'tired', 'proud', 'anxious', 'relieved', 'curious'])} about it (${Math.floor(r() * 1e6)}).`;
}
/** The benchmark questions, the same sequence for every size and for the peer. */
function questions(): string[] {
  const r = mulberry32(99);
  return Array.from({ length: QUERIES }, () => `what did ${NAMES[Math.floor(r() * NAMES.length)]} do with ${THINGS[Math.floor(r() * THINGS.length)]}?`);
}

/** Spawns a stdio server, connects a client and times spawn → initialize. */
async function spawn(command: string[], env: Record<string, string>) {
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: command, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'inherit' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const initMs = performance.now() - t0;
  const call = async (name: string, args: Record<string, unknown>) => {
    const a = performance.now();
    const res = await client.callTool({ name, arguments: args });
    if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
    return { ms: performance.now() - a, out: res.structuredContent as Record<string, unknown> };
  };
  const memory = () => {
    const status = readFileSync(`/proc/${transport.pid}/status`, 'utf8');
    const mb = (key: string) => {
      const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
      return m ? round(Number(m[1]) / 1024, 1) : null;
    };
    return { rss_mb: mb('VmRSS'), anon_mb: mb('RssAnon'), file_mb: mb('RssFile'), peak_mb: mb('VmHWM') };
  };
  return { client, call, initMs, memory };
}
const spawnCairn = (home: string) => spawn([CLI], { CAIRN_HOME: home, ...ENV });
const spawnPeer = (file: string) => spawn([PEER!], { MEMORY_FILE_PATH: file });

async function writes() {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const inits: number[] = [];
  const peerInits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const h = mkdtempSync(join(tmpdir(), 'cairn-bench-init-'));
    const s = await spawnCairn(h);
    inits.push(s.initMs);
    await s.client.close();
    if (PEER) {
      const p = await spawnPeer(join(h, 'memory.jsonl'));
      peerInits.push(p.initMs);
      await p.client.close();
    }
    rmSync(h, { recursive: true, force: true });
  }
  const s = await spawnCairn(home);
  const r = mulberry32(7);
  for (let i = 0; i < 20; i++) await s.call('remember', { content: `warm-up ${i}` });
  const remember: number[] = [];
  for (let i = 0; i < CALLS; i++) remember.push((await s.call('remember', { content: sentence(r), tags: ['bench'] })).ms);
  const { out } = await s.call('start_episode', { task: 'benchmark episode', task_type: 'testing', domain: 'bench' });
  const logStep: number[] = [];
  for (let i = 0; i < CALLS; i++)
    logStep.push(
      (await s.call('log_step', { episode_id: out.episode_id, tool: `tool${i % 5}`, action: `step ${i}`, result: { type: 'success' }, latency_ms: 5 })).ms,
    );
  const memory = s.memory();
  await s.client.close();
  rmSync(home, { recursive: true, force: true });
  const ours = summary(inits);
  const peer = PEER ? summary(peerInits) : null;
  return {
    spawn_to_initialize: { ours, peer, p50_ratio: ratio(ours.p50_ms, peer?.p50_ms) },
    remember: summary(remember),
    log_step: summary(logStep),
    rss_mb_after_writes: memory.rss_mb,
  };
}

/** Writes `n` memories through the storage layer, then builds the index once (which saves its snapshot). */
async function seed(home: string, n: number): Promise<{ facts: string[]; insert_s: number; first_index_build_s: number }> {
  const config = resolveConfig({ CAIRN_HOME: home, ...ENV }, []);
  const app = await createApp(config, { logger: silentLogger });
  const r = mulberry32(n);
  const facts: string[] = [];
  const t0 = performance.now();
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const content = sentence(r);
    facts.push(content);
    const at = now - Math.floor(r() * 365 * 86_400_000);
    await app.repos.memories.insert({
      id: uuidv7(),
      namespace: 'default',
      content,
      kind: 'note',
      tags: [],
      importance: 0.5,
      occurredAt: at,
      source: null,
      metadata: {},
      contentHash: contentHash(content, 'note', at),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      deletedReason: null,
    });
  }
  const insertMs = performance.now() - t0;
  const t1 = performance.now();
  await app.memory.query('default', { query: 'warm up', scope: ['memories'], limit: 1 });
  const indexMs = performance.now() - t1;
  await app.close();
  return { facts, insert_s: round(insertMs / 1000, 1), first_index_build_s: round(indexMs / 1000, 1) };
}

/** One fresh child: its first query (timed) and what health_check says the index came from. */
async function firstQuery(home: string) {
  const s = await spawnCairn(home);
  const { ms } = await s.call('query_memory', { query: 'warm up the index', limit: 10 });
  const health = (await s.call('health_check', {})).out as { search?: { index?: { source: string; load_ms: number; saved: { bytes: number } | null } } };
  return { s, ms, index: health.search?.index };
}

async function sized(n: number) {
  const home = mkdtempSync(join(tmpdir(), `cairn-bench-${n}-`));
  const { facts, ...seeded } = await seed(home, n);
  const qs = questions();

  const starts: Array<{ first_query_ms: number; source: string | undefined; load_ms: number | undefined; bytes: number | undefined }> = [];
  let lat: number[] = [];
  let memory: ReturnType<Awaited<ReturnType<typeof spawn>>['memory']> | null = null;
  for (let i = 0; i < STARTS; i++) {
    const { s, ms, index } = await firstQuery(home);
    starts.push({ first_query_ms: round(ms, 1), source: index?.source, load_ms: index?.load_ms, bytes: index?.saved?.bytes });
    if (i === 0) {
      for (const q of qs) lat.push((await s.call('query_memory', { query: q, limit: 10 })).ms);
      memory = s.memory();
    }
    await s.client.close();
  }
  // No snapshot: the next child rebuilds from libSQL (vectors stored there, not recomputed).
  rmSync(join(home, 'cache'), { recursive: true, force: true });
  const cold = await firstQuery(home);
  const coldMemory = cold.s.memory();
  await cold.s.client.close();
  rmSync(home, { recursive: true, force: true });

  const query = summary(lat);
  lat = [];
  const out: Record<string, unknown> = {
    memories: n,
    seed: seeded,
    first_query_from_snapshot: {
      ms: starts.map((x) => x.first_query_ms),
      median_ms: round(
        quantile(
          starts.map((x) => x.first_query_ms),
          0.5,
        ),
        1,
      ),
      health: starts.map(({ source, load_ms }) => ({ source, load_ms })),
      snapshot_mb: starts[0]?.bytes === undefined ? null : round(starts[0].bytes / 1024 ** 2, 1),
    },
    first_query_cold_rebuild: {
      ms: round(cold.ms, 1),
      health: cold.index && { source: cold.index.source, load_ms: cold.index.load_ms },
      memory_after: coldMemory,
    },
    query_memory: query,
    memory_after_queries: memory,
  };
  if (PEER) {
    const peer = await peerFigures(facts, qs);
    out.peer = peer;
    out.ratios = {
      query_p50_over_search_nodes_p50: ratio(query.p50_ms, peer.search_nodes.p50_ms),
      query_p50_over_keyword_p50: ratio(query.p50_ms, peer.search_nodes_keyword.p50_ms),
    };
  }
  return out;
}

/** server-memory over the same facts: one entity per fact in its memory.jsonl. */
async function peerFigures(facts: string[], qs: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-peer-'));
  const file = join(dir, 'memory.jsonl');
  writeFileSync(file, facts.map((f, i) => JSON.stringify({ type: 'entity', name: `fact-${i}`, entityType: 'fact', observations: [f] })).join('\n'));
  const p = await spawnPeer(file);
  const lat: number[] = [];
  let hits = 0;
  for (const q of qs) {
    const { ms, out } = await p.call('search_nodes', { query: q });
    lat.push(ms);
    hits += (out.entities as unknown[]).length;
  }
  const keywords = ['violin', 'Lisbon', 'pottery', 'dentist', 'marathon', 'roof', 'Yara', 'offsite'];
  const kw: number[] = [];
  let kwHits = 0;
  for (let i = 0; i < Math.min(qs.length, 50); i++) {
    const { ms, out } = await p.call('search_nodes', { query: keywords[i % keywords.length]! });
    kw.push(ms);
    kwHits += (out.entities as unknown[]).length;
  }
  const memory = p.memory();
  await p.client.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    search_nodes: { ...summary(lat), mean_hits: round(hits / lat.length, 1) },
    search_nodes_keyword: { ...summary(kw), mean_hits: round(kwHits / kw.length, 1) },
    memory_after_queries: memory,
  };
}

async function main() {
  const out: Record<string, unknown> = {
    node: process.version,
    embedder: 'hashing-v1-384',
    at: new Date().toISOString(),
    load_before: loadavg().map((x) => round(x, 2)),
    peer: PEER ? '@modelcontextprotocol/server-memory' : 'not installed (npm install --no-save @modelcontextprotocol/server-memory for the peer columns)',
  };
  out.writes = await writes();
  out.sizes = [];
  for (const n of SIZES) (out.sizes as unknown[]).push(await sized(n));
  out.load_after = loadavg().map((x) => round(x, 2));
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
