/**
 * Sandbox benchmark: cold and warm latency of a trivial script, throughput of 1,000 small
 * scripts, and peak memory. Prints one JSON object on stdout.
 *
 *   npm run build && node dist/scripts/bench-sandbox.js [--pool N] [--runs 1000]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createSandbox } from '../sandbox/runner.js';
import type { RunRequest } from '../sandbox/types.js';

const { values } = parseArgs({ options: { pool: { type: 'string' }, runs: { type: 'string' } } });
const poolSize = Number(values.pool ?? availableParallelism());
const runs = Number(values.runs ?? 1000);

const trivial: RunRequest = { code: '1 + 1', context: { task: 'bench' } };
const small: RunRequest = {
  code: 'context.input.filter((r) => r.score > 0.5).map((r) => ({ id: r.id, s: Math.round(r.score * 100) }))',
  context: { task: 'bench', input: Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, score: (i % 10) / 10 })) },
};

const ms = (t0: number) => performance.now() - t0;
const round = (x: number) => Math.round(x * 100) / 100;
function summary(samples: number[]): { p50: number; p95: number; mean: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(s.reduce((a, b) => a + b, 0) / s.length), n: s.length };
}
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

// Cold: a new sandbox (worker thread + WASM module) answering its first script.
const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  const sandbox = createSandbox({ poolSize: 1 });
  const t0 = performance.now();
  const r = await sandbox.run(trivial);
  cold.push(ms(t0));
  if (r.status !== 'success') throw new Error(`cold run failed: ${JSON.stringify(r)}`);
  await sandbox.close();
}

const sandbox = createSandbox({ poolSize, maxQueue: runs });
for (let i = 0; i < poolSize * 4; i++) await Promise.all(Array.from({ length: poolSize }, () => sandbox.run(trivial)));

// Warm: one script at a time on a warm pool, end to end through run().
const warm: number[] = [];
const inside: number[] = [];
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  const r = await sandbox.run(trivial);
  warm.push(ms(t0));
  inside.push(r.execution_time_ms);
}

// Throughput: `runs` small scripts submitted at once.
const t0 = performance.now();
const results = await Promise.all(Array.from({ length: runs }, () => sandbox.run(small)));
const elapsed = ms(t0);
const failed = results.filter((r) => r.status !== 'success').length;

// Memory under pressure: scripts that fill their default 64 MB heap.
const rssBeforeBombs = process.memoryUsage().rss;
for (let i = 0; i < poolSize * 3; i++) {
  await Promise.all(
    Array.from({ length: poolSize }, () => sandbox.run({ code: 'const a = []; for (;;) a.push(new Float64Array(1e5))', context: { task: 'bomb' } })),
  );
}
const stats = sandbox.stats();
await sandbox.close();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const mb = (b: number) => round(b / (1024 * 1024));
process.stdout.write(
  JSON.stringify(
    {
      node: process.version,
      cores: availableParallelism(),
      pool_size: poolSize,
      cold_first_run_ms: summary(cold),
      warm_trivial_ms: summary(warm),
      warm_trivial_inside_worker_ms: summary(inside),
      throughput: { scripts: runs, failed, elapsed_ms: round(elapsed), per_second: round((runs / elapsed) * 1000) },
      memory: {
        rss_before_64mb_bombs_mb: mb(rssBeforeBombs),
        peak_rss_mb: mb(peakRss),
        max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
      },
      sandbox_stats: stats,
    },
    null,
    2,
  ) + '\n',
);
