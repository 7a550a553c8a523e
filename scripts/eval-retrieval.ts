/**
 * LoCoMo retrieval evaluation through Cairn's MCP tools over stdio (see ../shared/eval/README.md).
 * Each conversation gets a fresh CAIRN_HOME and its own `cairn` child; every turn is stored with
 * `remember` and every answerable question (categories 1–4) asked with `query_memory`.
 *
 * Usage: node dist/scripts/eval-retrieval.js [path/to/locomo-dev.json] [--search hybrid|fts|sql]
 *          [--embeddings hashing|auto] [--ingest plain|source] [--min-score N]
 *
 * Turns are stored the way a client would: content "<speaker>: <text>", `occurred_at` the
 * session's date, `tags: [speaker]`, the `dia_id` in metadata; `--ingest source` also sends
 * `source: "<conversation>/session_<n>"`, `plain` does not. Without `--ingest` both run.
 * Questions ask for the top 50 with query_memory's default relevance floor (`--min-score N` sends
 * another). Prints JSON per ingestion: recall@5, recall@10,
 * hit@5, hit@10, MRR overall, per category and per conversation, embedder, timing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type Conversation, parseSessionDate, type Turn } from './lib/locomo.js';
import { quantile } from './lib/stats.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const file =
  args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? fileURLToPath(new URL('../../../shared/eval/locomo-dev.json', import.meta.url));
const search = flag('search', 'hybrid');
const embeddings = flag('embeddings', 'hashing');
type Ingest = 'plain' | 'source';
const ingestFlag = flag('ingest', '');
if (ingestFlag && ingestFlag !== 'plain' && ingestFlag !== 'source') throw new Error(`--ingest must be plain or source, got ${ingestFlag}`);
const ingests: Ingest[] = ingestFlag ? [ingestFlag as Ingest] : ['plain', 'source'];
const minScore = flag('min-score', '');
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

function sessions(conv: Record<string, unknown>): Array<{ n: number; date: string; turns: Turn[] }> {
  const out = [];
  for (const key of Object.keys(conv)) {
    const m = /^session_(\d+)$/.exec(key);
    if (!m || !Array.isArray(conv[key])) continue;
    out.push({ n: Number(m[1]), date: new Date(parseSessionDate(String(conv[`${key}_date_time`]))).toISOString(), turns: conv[key] as Turn[] });
  }
  return out.sort((a, b) => a.n - b.n);
}

type Scores = { n: number; r5: number; r10: number; h5: number; h10: number; mrr: number };
const empty = (): Scores => ({ n: 0, r5: 0, r10: 0, h5: 0, h10: 0, mrr: 0 });
const add = (s: Scores, ranked: string[], evidence: string[]) => {
  const ev = new Set(evidence);
  const inTop = (k: number) => ranked.slice(0, k).filter((d) => ev.has(d)).length;
  const first = ranked.findIndex((d) => ev.has(d));
  s.n++;
  s.r5 += inTop(5) / ev.size;
  s.r10 += inTop(10) / ev.size;
  s.h5 += inTop(5) > 0 ? 1 : 0;
  s.h10 += inTop(10) > 0 ? 1 : 0;
  s.mrr += first >= 0 && first < 50 ? 1 / (first + 1) : 0;
};
const report = (s: Scores) => ({
  n: s.n,
  'recall@5': +(s.r5 / s.n).toFixed(3),
  'recall@10': +(s.r10 / s.n).toFixed(3),
  'hit@5': +(s.h5 / s.n).toFixed(3),
  'hit@10': +(s.h10 / s.n).toFixed(3),
  mrr: +(s.mrr / s.n).toFixed(3),
});

/** Stores every conversation of `data` one way and asks every question; returns the scores. */
async function evaluate(data: Conversation[], ingest: Ingest) {
  const overall = empty();
  const perCat = new Map<number, Scores>();
  const perConv = new Map<string, Scores>();
  const queryMs: number[] = [];
  let rememberMs = 0;
  let turns = 0;
  let embedder = '';
  let skipped = 0;
  for (const [i, conv] of data.entries()) {
    const name = conv.sample_id ?? `conv-${i}`;
    const home = mkdtempSync(join(tmpdir(), 'cairn-eval-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI],
      env: {
        PATH: process.env.PATH ?? '',
        CAIRN_HOME: home,
        CAIRN_EMBEDDINGS: embeddings,
        CAIRN_SEARCH: search,
        CAIRN_LOG_LEVEL: 'warn',
        CAIRN_CHECKIN_MINUTES: '0',
        CAIRN_OFFLINE: '1',
        CAIRN_MAX_REPLY_TOKENS: '20000',
      },
      stderr: 'inherit',
    });
    const client = new Client({ name: 'cairn-eval', version: '1' });
    await client.connect(transport);
    const call = async (name: string, a: Record<string, unknown>) => {
      const res = await client.callTool({ name, arguments: a });
      if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
      return res.structuredContent as Record<string, unknown>;
    };
    const t0 = performance.now();
    for (const s of sessions(conv.conversation)) {
      for (const t of s.turns) {
        const content = `${t.speaker}: ${t.text}${t.blip_caption ? ` [photo: ${t.blip_caption}]` : ''}`;
        await call('remember', {
          content,
          kind: 'event',
          occurred_at: s.date,
          tags: [t.speaker],
          ...(ingest === 'source' ? { source: `${name}/session_${s.n}` } : {}),
          metadata: { dia_id: t.dia_id },
        });
        turns++;
      }
    }
    rememberMs += performance.now() - t0;
    const convScores = empty();
    perConv.set(name, convScores);
    for (const qa of conv.qa) {
      if (qa.category < 1 || qa.category > 4) continue;
      // A few annotations join two ids with ';'; two questions have no evidence and cannot be scored.
      const evidence = qa.evidence
        .flatMap((e) => e.split(';'))
        .map((e) => e.trim())
        .filter(Boolean);
      if (evidence.length === 0) {
        skipped++;
        continue;
      }
      const q0 = performance.now();
      const out = await call('query_memory', {
        query: qa.question,
        scope: ['memories'],
        limit: 50,
        max_chars: 200_000,
        ...(minScore ? { min_score: Number(minScore) } : {}),
      });
      queryMs.push(performance.now() - q0);
      const ranked = (out.results as Array<{ metadata?: { dia_id?: string } }>).map((r) => String(r.metadata?.dia_id ?? ''));
      add(overall, ranked, evidence);
      add(convScores, ranked, evidence);
      if (!perCat.has(qa.category)) perCat.set(qa.category, empty());
      add(perCat.get(qa.category)!, ranked, evidence);
    }
    embedder = String(((await call('health_check', {})).embedder as { active?: string } | undefined)?.active ?? '');
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
  queryMs.sort((a, b) => a - b);
  const pct = (p: number) => +quantile(queryMs, p).toFixed(2);
  return {
    embedder,
    turns,
    questions: overall.n,
    skipped_without_evidence: skipped,
    overall: report(overall),
    per_category: Object.fromEntries([...perCat.entries()].sort(([a], [b]) => a - b).map(([c, s]) => [c, report(s)])),
    per_conversation: Object.fromEntries([...perConv.entries()].map(([c, s]) => [c, report(s)])),
    query_ms: { p50: pct(0.5), p95: pct(0.95), mean: +(queryMs.reduce((a, b) => a + b, 0) / queryMs.length).toFixed(2) },
    remember_ms_mean: +(rememberMs / turns).toFixed(2),
  };
}

async function main() {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Conversation[];
  const out: Record<string, unknown> = { file, search, conversations: data.length, ...(minScore ? { min_score: Number(minScore) } : {}) };
  for (const ingest of ingests) out[ingest] = await evaluate(data, ingest);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
