/**
 * In-process retrieval evaluation on LoCoMo (fast iteration; the official run goes through the MCP
 * tools in scripts/eval-retrieval.ts).
 *
 *   node dist/scripts/eval-inproc.js [path] [--options JSON] [--embedder hashing|none] [--ingest plain|source] [--min-score N]
 *   node dist/scripts/eval-inproc.js [path] --ablation      one row per technique switched off
 *   node dist/scripts/eval-inproc.js [path] --cumulative    techniques added one by one to BM25
 *   node dist/scripts/eval-inproc.js --bench [docs] [--stress] [--options JSON]   search latency
 *
 * One fresh index per conversation, one document per turn ("Speaker: text [photo: caption]"),
 * every category 1–4 question a query. Two ways of storing the turns, like a client would
 * (`--ingest`; both by default, one result each):
 * - `plain`: kind `event`, tagged with the speaker, `occurredAt` the session's date, no thread (the index
 *   infers one from time and order);
 * - `source`: the same, plus one explicit thread per session.
 * Prints JSON to stdout, overall, per category and per conversation. The data file is read in
 * place and never copied.
 */
import { readFileSync } from 'node:fs';
import { createHashingEmbedder } from '../src/embeddings/hashing.js';
import type { Embedder } from '../src/embeddings/types.js';
import { createRetrievalIndex } from '../src/retrieval/index.js';
import type { RetrievalOptions } from '../src/retrieval/options.js';
import type { RetrievalDoc } from '../src/retrieval/types.js';
import { type Conversation, parseSessionDate, type Turn } from './lib/locomo.js';

async function loadEmbedder(kind: string): Promise<Embedder | null> {
  if (kind === 'none') return null;
  if (kind === 'hashing') return createHashingEmbedder({ dim: 384 });
  throw new Error(`--embedder must be hashing or none, got ${kind}`);
}

interface Metrics {
  n: number;
  recall5: number;
  recall10: number;
  hit5: number;
  hit10: number;
  mrr: number;
}

const emptyMetrics = (): Metrics => ({ n: 0, recall5: 0, recall10: 0, hit5: 0, hit10: 0, mrr: 0 });

function score(ranked: string[], evidence: string[], into: Metrics[]): void {
  const e = new Set(evidence);
  const top5 = ranked.slice(0, 5);
  const recall = top5.filter((id) => e.has(id)).length / e.size;
  const recall10 = ranked.slice(0, 10).filter((id) => e.has(id)).length / e.size;
  const first = ranked.slice(0, 50).findIndex((id) => e.has(id));
  for (const m of into) {
    m.n++;
    m.recall5 += recall;
    m.recall10 += recall10;
    m.hit5 += top5.some((id) => e.has(id)) ? 1 : 0;
    m.hit10 += ranked.slice(0, 10).some((id) => e.has(id)) ? 1 : 0;
    m.mrr += first >= 0 ? 1 / (first + 1) : 0;
  }
}

const finish = (m: Metrics) => {
  const r = (x: number) => Math.round((x / Math.max(m.n, 1)) * 1000) / 1000;
  return { n: m.n, recall5: r(m.recall5), recall10: r(m.recall10), hit5: r(m.hit5), hit10: r(m.hit10), mrr: r(m.mrr) };
};

/** How turns are stored: without a thread (`plain`) or with one per session (`source`). */
type Ingest = 'plain' | 'source';
const INGESTS: readonly Ingest[] = ['plain', 'source'];

/**
 * One conversation as documents, in the order a client would write them: all within a few seconds
 * (`createdAt`), each with its session's date (`occurredAt`) and the write order as `seq`.
 */
function documents(conv: Conversation, ingest: Ingest): { docs: RetrievalDoc[]; last: number } {
  const c = conv.conversation;
  const docs: RetrievalDoc[] = [];
  const written = Date.UTC(2026, 0, 1);
  let last = 0;
  for (let s = 1; Array.isArray(c[`session_${s}`]); s++) {
    const at = parseSessionDate(String(c[`session_${s}_date_time`]));
    last = Math.max(last, at);
    for (const turn of c[`session_${s}`] as Turn[]) {
      const photo = turn.blip_caption ? ` [photo: ${turn.blip_caption}]` : '';
      const seq = docs.length;
      docs.push({
        id: turn.dia_id,
        type: 'memory',
        text: `${turn.speaker}: ${turn.text}${photo}`,
        occurredAt: at,
        createdAt: written + seq * 10,
        importance: 0.5,
        tags: [turn.speaker],
        seq,
        kind: 'event',
        ...(ingest === 'source' ? { thread: `session_${s}` } : {}),
      });
    }
  }
  return { docs, last };
}

/** Evaluates one configuration over every conversation. */
async function evaluate(data: Conversation[], embedder: Embedder | null, overrides: Partial<RetrievalOptions>, ingest: Ingest, minScore = 0) {
  const overall = emptyMetrics();
  const byCategory = new Map<number, Metrics>();
  const byConversation = new Map<string, Metrics>();
  let queries = 0;
  let searchMs = 0;
  for (const [n, conv] of data.entries()) {
    const { docs, last } = documents(conv, ingest);
    const convMetrics = emptyMetrics();
    byConversation.set(conv.sample_id ?? `conversation ${n + 1}`, convMetrics);
    if (embedder) {
      const vectors = await embedder.embed(docs.map((d) => d.text));
      for (const [i, d] of docs.entries()) d.vector = vectors[i];
    }
    const index = createRetrievalIndex({ dim: embedder?.dim ?? 384, ...overrides });
    index.add(docs);
    index.refresh();
    const questions = conv.qa.filter((q) => q.category >= 1 && q.category <= 4 && q.evidence.length > 0);
    const qVectors = embedder ? await embedder.embed(questions.map((q) => q.question)) : [];
    questions.forEach((q, i) => {
      const t0 = performance.now();
      const hits = index.search({ text: q.question, vector: qVectors[i], limit: 50, now: last + 86_400_000, minScore });
      searchMs += performance.now() - t0;
      queries++;
      let cat = byCategory.get(q.category);
      if (!cat) {
        cat = emptyMetrics();
        byCategory.set(q.category, cat);
      }
      score(
        hits.map((h) => h.id),
        q.evidence,
        [overall, cat, convMetrics],
      );
    });
  }
  const categories = Object.fromEntries([...byCategory.entries()].sort((a, b) => a[0] - b[0]).map(([k, m]) => [k, finish(m)]));
  const conversations = Object.fromEntries([...byConversation.entries()].map(([k, m]) => [k, finish(m)]));
  return { overall: finish(overall), categories, conversations, msPerQuery: Math.round((searchMs / queries) * 100) / 100 };
}

/** recall@5 of each conversation, for one-line rows. */
const perConversation = (r: { conversations: Record<string, { recall5: number }> }) =>
  Object.fromEntries(Object.entries(r.conversations).map(([k, m]) => [k, m.recall5]));

/** Techniques switched off one at a time, and the plain-BM25 baseline. */
const ABLATIONS: Record<string, Partial<RetrievalOptions>> = {
  'plain BM25 (baseline)': {
    stemmer: 'none',
    fieldWeights: { context: 0 },
    neighbourShare: 0,
    neighbourBackShare: 0,
    threadShare: 0,
    inferThreads: false,
    weights: { vector: 0, semantic: 0 },
    labelBoost: 1,
    questionFactor: 1,
    temporal: false,
    feedback: false,
    mmrLambda: 1,
    semantic: false,
    adjust: { recencyWeight: 0 },
  },
  full: {},
  'no stemming': { stemmer: 'none' },
  'S-stemmer instead of Porter': { stemmer: 's' },
  'no preceding-turn context field': { fieldWeights: { context: 0 } },
  'no neighbour score sharing': { neighbourShare: 0, neighbourBackShare: 0 },
  'no inferred threads': { inferThreads: false },
  'no context bound': { contextCeiling: false },
  'no thread share': { threadShare: 0 },
  'no label match': { labelBoost: 1 },
  'no question-form penalty': { questionFactor: 1 },
  'no temporal cues': { temporal: false },
  'no feedback': { feedback: false },
  'no vectors': { weights: { vector: 0 } },
  'no semantic signal': { semantic: false },
  'RRF (k = 60) instead of z-score fusion': { fusion: 'rrf' },
  'no MMR': { mmrLambda: 1 },
  'no recency': { adjust: { recencyWeight: 0 } },
};

/**
 * Reference timings taken next to the search loop, so numbers from a shared, noisy machine can be
 * compared between runs: a fixed compute loop (1e8 dependent multiply-adds, ~8 cycles each) and
 * a scan of 64 MB (the int8 vector scan reads 38 MB per query at 100k × 384). Only their ratio
 * between runs means something.
 */
function calibrate(): { computeMs: number; scan64MbMs: number } {
  const time = (f: () => number) => {
    const t = performance.now();
    // Checking the result keeps it observable, so the loop is not optimised away.
    if (!Number.isFinite(f())) throw new Error('calibration loop produced a non-finite result');
    return Math.round((performance.now() - t) * 10) / 10;
  };
  const computeMs = time(() => {
    let x = 0.5;
    for (let i = 0; i < 1e8; i++) x = x * 0.999_999 + 1e-7;
    return x;
  });
  const words = new Int32Array(16 * 2 ** 20).fill(1);
  const scan = () => {
    let sum = 0;
    for (let i = 0; i < words.length; i++) sum += words[i] as number;
    return sum;
  };
  time(scan);
  return { computeMs, scan64MbMs: time(scan) };
}

/**
 * Search latency on a synthetic namespace: `n` documents of 8–31 words drawn from a Zipf law over
 * 20k words (ranks 1–100 are redrawn, as a stop-word list would drop them; `stress` keeps them,
 * so queries touch about half of the documents), threads of 40, 10% tagged.
 */
/** Techniques added one at a time to plain BM25, in this order (each row keeps the earlier ones). */
const STEPS: Array<[string, Partial<RetrievalOptions>]> = [
  ['Porter stemming', { stemmer: 'porter' }],
  ['inferred threads (no-op with a source)', { inferThreads: {} }],
  ['preceding-turn context field', { fieldWeights: { context: 0.5 } }],
  ['neighbour score sharing', { neighbourShare: 0.5, neighbourBackShare: 0.35 }],
  ['thread share', { threadShare: 0.2 }],
  ['leading-label match', { labelBoost: 1.75 }],
  ['question-form penalty', { questionFactor: 0.7 }],
  ['temporal cues', { temporal: {} }],
  ['pseudo-relevance feedback', { feedback: {} }],
  ['learned semantic signal', { semantic: {}, weights: { vector: 0, semantic: 0.3 } }],
  ['hashing vectors (z-score fusion)', { weights: { vector: 0.2, semantic: 0.3 } }],
  ['MMR + recency (= full)', { mmrLambda: 0.7, adjust: {} }],
];

async function bench(n: number, stress: boolean, overrides: Partial<RetrievalOptions>) {
  const dim = 384;
  const embedder = createHashingEmbedder({ dim });
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
  const skip = stress ? 0 : 100;
  const zipf = (): string => {
    for (;;) {
      const rank = Math.floor(Math.exp(rand() * Math.log(vocabulary.length)));
      if (rank > skip) return vocabulary[rank - 1] as string;
    }
  };
  const sentence = (len: number) => Array.from({ length: len }, zipf).join(' ');
  const t0 = performance.now();
  const texts = Array.from({ length: n }, () => sentence(8 + Math.floor(rand() * 24)));
  const vectors = await embedder.embed(texts);
  const index = createRetrievalIndex({ dim, ...overrides });
  const base = Date.UTC(2025, 0, 1);
  index.add(
    texts.map((text, i) => ({
      id: `d${i}`,
      type: 'memory' as const,
      text,
      occurredAt: base + i * 60_000,
      createdAt: base + i * 60_000,
      importance: rand(),
      tags: i % 10 === 0 ? ['tagged'] : [],
      thread: `t${Math.floor(i / 40)}`,
      seq: i % 40,
      vector: vectors[i],
    })),
  );
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  index.refresh();
  const refreshMs = performance.now() - t1;
  const queries = Array.from({ length: 200 }, () => sentence(4 + Math.floor(rand() * 6)));
  const qVectors = await embedder.embed(queries);
  const machine = calibrate();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 2; round++) {
    queries.forEach((text, i) => {
      const c = process.cpuUsage();
      const t = performance.now();
      index.search({ text, vector: qVectors[i], limit: 10, now: base + n * 60_000, filters: i % 4 === 0 ? { tags: ['tagged'] } : undefined });
      if (round === 0) return;
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    });
  }
  const quantiles = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const q = (p: number) => Math.round((sorted[Math.floor(p * (sorted.length - 1))] as number) * 100) / 100;
    return { p50: q(0.5), p95: q(0.95), max: q(1) };
  };
  return {
    docs: n,
    dim,
    corpus: stress ? 'stress (no stop-word gap)' : 'content words',
    queries: queries.length,
    loadMs: Math.round(loadMs),
    refreshMs: Math.round(refreshMs),
    wallMs: quantiles(wall),
    cpuMs: quantiles(cpu),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    machine,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, v === undefined || v.startsWith('--') ? 1 : 2);
    return v === undefined || v.startsWith('--') ? '' : v;
  };
  const benchArg = flag('--bench');
  if (benchArg !== undefined) {
    const stress = flag('--stress') !== undefined;
    const options = JSON.parse(flag('--options') || '{}') as Partial<RetrievalOptions>;
    process.stdout.write(JSON.stringify({ options, ...(await bench(Number(benchArg || 100_000), stress, options)) }, null, 2) + '\n');
    return;
  }
  const ablation = flag('--ablation') !== undefined;
  const cumulative = flag('--cumulative') !== undefined;
  const overrides = JSON.parse(flag('--options') || '{}') as Partial<RetrievalOptions>;
  const embedder = await loadEmbedder(flag('--embedder') ?? 'hashing');
  const minScore = Number(flag('--min-score') ?? 0);
  const ingestArg = flag('--ingest');
  if (ingestArg !== undefined && !INGESTS.includes(ingestArg as Ingest)) throw new Error(`--ingest must be plain or source, got ${ingestArg}`);
  const ingests = ingestArg ? [ingestArg as Ingest] : INGESTS;
  const path = args[0] ?? '../shared/eval/locomo-dev.json';
  const data = JSON.parse(readFileSync(path, 'utf8')) as Conversation[];
  const out: Record<string, unknown> = { embedder: embedder?.id ?? 'none', options: overrides };
  for (const ingest of ingests) {
    if (cumulative) {
      let options: Partial<RetrievalOptions> = { ...ABLATIONS['plain BM25 (baseline)'] };
      const rows: Record<string, unknown> = { 'plain BM25': { ...(await evaluate(data, embedder, options, ingest)).overall } };
      for (const [name, step] of STEPS) {
        options = { ...options, ...step };
        const r = await evaluate(data, embedder, options, ingest);
        rows[`+ ${name}`] = { ...r.overall, msPerQuery: r.msPerQuery, conversations: perConversation(r) };
        process.stderr.write(`${ingest} + ${name}: ${JSON.stringify(rows[`+ ${name}`])}\n`);
      }
      out[ingest] = { cumulative: rows };
    } else if (ablation) {
      const rows: Record<string, unknown> = {};
      for (const [name, opts] of Object.entries(ABLATIONS)) {
        const r = await evaluate(data, embedder, { ...opts, ...overrides }, ingest);
        rows[name] = { ...r.overall, msPerQuery: r.msPerQuery, conversations: perConversation(r) };
        process.stderr.write(`${ingest} ${name}: ${JSON.stringify(rows[name])}\n`);
      }
      out[ingest] = { ablation: rows };
    } else {
      out[ingest] = await evaluate(data, embedder, overrides, ingest, minScore);
    }
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

await main();
