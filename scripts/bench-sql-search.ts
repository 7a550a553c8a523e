/**
 * CAIRN_SEARCH=sql at 1k and 10k memories (hashing embedder, 384-d, embedded libSQL file):
 * - vector build: time to write every vector into `vec_384` with the DiskANN index vs into a
 *   table without it (each in its own database), and the database size after;
 * - vector queries: `ann-repo.topK` k = 10 through `vector_top_k` vs the exact
 *   `vector_distance_cos` scan, p50/p95, and recall@10 of the index against the exact answer;
 * - end-to-end `query_memory` (FTS5 + vectors + RRF) p50/p95.
 * Prints JSON. Usage: node dist/scripts/bench-sql-search.js [sizes = 1000,10000] [queries = 100] [index options, comma-separated]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { uuidv7 } from '../src/ids.js';
import { silentLogger } from '../src/logger.js';
import { contentHash } from '../src/memory/text.js';
import { mulberry32 } from '../src/prng.js';
import { type AnnRepo, createAnnRepo, DEFAULT_INDEX_OPTIONS } from '../src/storage/ann-repo.js';
import { quantile } from './lib/stats.js';

const SIZES = (process.argv[2] ?? '1000,10000').split(',').map(Number);
const QUERIES = Number(process.argv[3] ?? 100);
/** `libsql_vector_idx` options, e.g. `metric=cosine` alone for uncompressed neighbours. Default the repo's. */
const INDEX_OPTIONS = process.argv[4] ? process.argv[4].split(',') : DEFAULT_INDEX_OPTIONS;
const NS = 'bench';

const WORDS = (
  'garden tomato water sunrise lake painting dance studio banker job store clothing novel dragon wizard basketball team weekend ' +
  'adoption agency family passport drawer kitchen meeting standup deploy service payments search mail budget travel train flight hotel ' +
  'doctor appointment medicine coffee recipe bread oven guitar lesson piano concert museum ticket birthday present friend sister brother'
).split(' ');

async function openApp(home: string): Promise<App> {
  const config = resolveConfig(
    { CAIRN_HOME: home, CAIRN_SEARCH: 'sql', CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0' },
    [],
  );
  return createApp(config, { logger: silentLogger });
}

const dbBytes = (home: string) =>
  readdirSync(home)
    .filter((f) => f.startsWith('cairn.db'))
    .reduce((n, f) => n + statSync(join(home, f)).size, 0);

function sentence(rand: () => number): string {
  const n = 6 + Math.floor(rand() * 10);
  return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
}

async function fill(app: App, texts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, content] of texts.entries()) {
    const at = 1_700_000_000_000 + i;
    const { id } = await app.repos.memories.insert({
      id: uuidv7(at),
      namespace: NS,
      content,
      kind: 'note',
      tags: [],
      importance: 0.5,
      occurredAt: null,
      source: null,
      metadata: {},
      contentHash: contentHash(content, 'note', null),
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
      deletedReason: null,
    });
    ids.push(id);
  }
  return ids;
}

async function timedPut(repo: AnnRepo, embedderId: string, ids: string[], vectors: Float32Array[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < ids.length; i += 500) {
    await repo.put(
      NS,
      embedderId,
      ids.slice(i, i + 500).map((id, j) => ({ itemId: id, itemType: 'memory' as const, vector: vectors[i + j]! })),
    );
  }
  return performance.now() - t0;
}

async function lat(fn: () => Promise<unknown>, n: number) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms;
}

const round = (x: number) => Math.round(x * 100) / 100;

async function run(size: number) {
  const rand = mulberry32(size);
  const texts = Array.from({ length: size }, () => sentence(rand));
  const queries = Array.from({ length: QUERIES }, () => sentence(rand).split(' ').slice(0, 4).join(' '));
  const homes = [mkdtempSync(join(tmpdir(), 'cairn-bench-sql-')), mkdtempSync(join(tmpdir(), 'cairn-bench-sql-'))];
  const [indexed, plain] = [await openApp(homes[0]!), await openApp(homes[1]!)];
  try {
    const embedder = indexed.embeddings.active();
    const [ids, plainIds] = [await fill(indexed, texts), await fill(plain, texts)];
    const vectors = await embedder.embed(texts);
    const ann = createAnnRepo(indexed.db, { indexOptions: INDEX_OPTIONS });
    const bare = createAnnRepo(plain.db, { diskann: false });
    const bytesBefore = [dbBytes(homes[0]!), dbBytes(homes[1]!)];
    const buildIndexed = await timedPut(ann, embedder.id, ids, vectors);
    const buildPlain = await timedPut(bare, embedder.id, plainIds, vectors);
    const qv = await embedder.embed(queries);

    let agree = 0;
    for (const v of qv) {
      const a = await ann.topK(NS, embedder.id, v, 10, ['memory']);
      const b = await ann.topK(NS, embedder.id, v, 10, ['memory'], { exact: true });
      const exact = new Set(b.hits.map((h) => h.itemId));
      agree += a.hits.filter((h) => exact.has(h.itemId)).length / Math.max(1, exact.size);
    }
    let qi = 0;
    const viaIndex = await lat(() => ann.topK(NS, embedder.id, qv[qi++ % qv.length]!, 10, ['memory']), QUERIES);
    qi = 0;
    const viaScan = await lat(() => ann.topK(NS, embedder.id, qv[qi++ % qv.length]!, 10, ['memory'], { exact: true }), QUERIES);
    qi = 0;
    const endToEnd = await lat(() => indexed.memory.query(NS, { query: queries[qi++ % queries.length]!, scope: ['memories'], limit: 10 }), QUERIES);
    const pq = (ms: number[]) => ({ p50: round(quantile(ms, 0.5)), p95: round(quantile(ms, 0.95)) });
    return {
      memories: size,
      build_ms: { diskann: round(buildIndexed), no_index: round(buildPlain) },
      db_bytes_added: { diskann: dbBytes(homes[0]!) - bytesBefore[0]!, no_index: dbBytes(homes[1]!) - bytesBefore[1]! },
      topk_ms: { diskann: pq(viaIndex), exact: pq(viaScan) },
      diskann_recall_at_10: round(agree / qv.length),
      query_memory_ms: pq(endToEnd),
    };
  } finally {
    await indexed.close();
    await plain.close();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
}

const results = [];
for (const size of SIZES) results.push(await run(size));
process.stdout.write(`${JSON.stringify({ embedder: 'hashing-384', index_options: INDEX_OPTIONS, queries: QUERIES, k: 10, results }, null, 2)}\n`);
