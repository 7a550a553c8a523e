/**
 * Timing of `advanced_pattern_analysis` through the analysis service (no MCP, no storage):
 * comprehensive analysis of 5 series × 1,000 points (target < 500 ms), each section alone, and
 * larger sizes. Data come from a fixed-seed generator. Then the schema limits (`LIMITS`): the
 * worst shapes they allow (many short series, where pairwise methods dominate, and one long one)
 * on data that is hard for each method, and the largest accepted call end to end over stdio
 * (spawned `cairn`, SDK client: serialisation, validation and output included). Prints JSON.
 * Usage: node dist/scripts/bench-analysis.js [repetitions = 20] [--limits-only]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createAnalysisService } from '../src/analysis/service.js';
import { type AnalysisRequest, LIMITS } from '../src/analysis/types.js';
import { mulberry32 } from '../src/prng.js';
import { quantile } from './lib/stats.js';

const REPS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20);
const LIMITS_ONLY = process.argv.includes('--limits-only');
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

/** Five series of length n: AR(1) x, y following x by two steps, trend, step change, daily success rates. */
function dataset(n: number, seed = 1): Record<string, number[]> {
  const u = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
  const x: number[] = [];
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    x.push((t > 0 ? 0.5 * (x[t - 1] as number) : 0) + gauss());
    y.push((t >= 2 ? 0.8 * (x[t - 2] as number) : 0) + 0.5 * gauss());
  }
  const trend = Array.from({ length: n }, (_, t) => 10 + 0.02 * t + gauss());
  const step = Array.from({ length: n }, (_, t) => (t >= n / 2 ? 3 : 0) + gauss());
  const rate = Array.from({ length: n }, (_, t) => Math.round((t < (2 * n) / 3 ? 0.8 : 0.6) * 10 + 2 * gauss()) / 10);
  return { x, y, trend, step, success_rate: rate };
}

interface Sample {
  wall: number;
  cpu: number;
}

/** Wall-clock and CPU (user + system) time: on a shared machine CPU time is the steadier measure. */
function stats(samples: Sample[]) {
  const wall = samples.map((s) => s.wall);
  const cpu = samples.map((s) => s.cpu);
  const r = (x: number) => +x.toFixed(1);
  return {
    runs: samples.length,
    wall_p50_ms: r(quantile(wall, 0.5)),
    wall_p95_ms: r(quantile(wall, 0.95)),
    cpu_p50_ms: r(quantile(cpu, 0.5)),
    cpu_p95_ms: r(quantile(cpu, 0.95)),
  };
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

/** Series shapes that are slow for some method: noise, near-ties, a square wave, steps, alternation, a random walk. */
const HARD: Record<string, (n: number, u: () => number, gauss: () => number) => number[]> = {
  noise: (n, _u, g) => Array.from({ length: n }, g),
  ties: (n, u) => Array.from({ length: n }, () => Math.floor(u() * 3)),
  steps: (n, _u, g) => Array.from({ length: n }, (_, t) => (Math.floor(t / 20) % 2) * 10 + g()),
  alternating: (n, _u, g) => Array.from({ length: n }, (_, t) => (t % 2 ? 5 : -5) + 0.01 * g()),
  walk: (n, _u, g) => {
    let x = 0;
    return Array.from({ length: n }, () => (x += g()));
  },
};

/** The worst shapes the limits allow: all series at once, a few, two, and one at the per-series cap. */
function limitShapes(): Array<[number, number]> {
  const total = LIMITS.maxTotalPoints;
  return [
    [LIMITS.maxSeries, Math.floor(total / LIMITS.maxSeries)],
    [10, Math.floor(total / 10)],
    [2, Math.floor(total / 2)],
    [1, LIMITS.maxDataPointsCap],
  ];
}

async function limitsSection(service: ReturnType<typeof createAnalysisService>, reps: number) {
  const rows: Record<string, unknown>[] = [];
  let worst = { shape: '', data: '', wall_ms: 0, cpu_ms: 0 };
  for (const [k, n] of limitShapes()) {
    for (const [name, make] of Object.entries(HARD)) {
      const u = mulberry32(k * 1000 + n);
      const gauss = () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
      const data = Object.fromEntries(Array.from({ length: k }, (_, i) => [`s${i}`, make(n, u, gauss)]));
      const input: AnalysisRequest = { analysisType: 'comprehensive', series: data, config: { maxDataPoints: Math.max(n, 3) } };
      const samples: Sample[] = [];
      for (let i = 0; i < reps; i++) samples.push(await measure(() => service.advanced('bench', input)));
      const st = stats(samples);
      rows.push({ shape: `${k}x${n}`, data: name, ...st });
      if (st.wall_p50_ms > worst.wall_ms) worst = { shape: `${k}x${n}`, data: name, wall_ms: st.wall_p50_ms, cpu_ms: st.cpu_p50_ms };
    }
  }
  return { limits: LIMITS, analysis_type: 'comprehensive', worst_p50: worst, runs: rows };
}

/** The largest accepted call (all series at the total cap) through a spawned stdio server. */
async function overStdio(reps: number) {
  const home = mkdtempSync(join(tmpdir(), 'cairn-bench-analysis-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: { PATH: process.env.PATH ?? '', CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0' },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'bench-analysis', version: '1' });
  await client.connect(transport);
  try {
    const out: Record<string, unknown> = {};
    for (const [k, n] of [limitShapes()[0]!, limitShapes()[3]!]) {
      const u = mulberry32(7);
      const gauss = () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
      const data = Object.fromEntries(Array.from({ length: k }, (_, i) => [`s${i}`, HARD.noise!(n, u, gauss)]));
      const args = { analysis_type: 'comprehensive', time_series_data: data, config: { max_data_points: n } };
      const walls: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const res = await client.callTool({ name: 'advanced_pattern_analysis', arguments: args }, undefined, { timeout: 120_000 });
        walls.push(performance.now() - t0);
        if (res.isError) throw new Error(`advanced_pattern_analysis failed: ${JSON.stringify(res.content).slice(0, 300)}`);
      }
      out[`${k}x${n}`] = {
        request_bytes: JSON.stringify(args).length,
        wall_p50_ms: +quantile(walls, 0.5).toFixed(1),
        wall_max_ms: +Math.max(...walls).toFixed(1),
      };
    }
    return out;
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main() {
  const service = createAnalysisService({ loadSeries: async () => ({}) });
  if (LIMITS_ONLY) {
    const result = {
      node: process.version,
      cpus: availableParallelism(),
      load_average_1m: +(loadavg()[0] as number).toFixed(2),
      ...(await limitsSection(service, Math.min(REPS, 3))),
      stdio_round_trip: await overStdio(3),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const time = async (input: AnalysisRequest, reps: number) => {
    const samples: Sample[] = [];
    for (let i = 0; i < reps; i++) samples.push(await measure(() => service.advanced('bench', input)));
    return samples;
  };
  const data1k = dataset(1000);
  const cold = await measure(() => service.advanced('bench', { analysisType: 'comprehensive', series: data1k }));
  const result: Record<string, unknown> = {
    node: process.version,
    cpus: availableParallelism(),
    load_average_1m: +(loadavg()[0] as number).toFixed(2),
    cold_first_call: { wall_ms: +cold.wall.toFixed(1), cpu_ms: +cold.cpu.toFixed(1) },
    comprehensive_5x1000: stats(await time({ analysisType: 'comprehensive', series: data1k }, REPS)),
  };
  for (const type of ['statistical', 'predictive', 'causal'] as const) {
    result[`${type}_5x1000`] = stats(await time({ analysisType: type, series: data1k }, REPS));
  }
  result.comprehensive_5x100 = stats(await time({ analysisType: 'comprehensive', series: dataset(100) }, REPS));
  result.comprehensive_5x10000 = stats(await time({ analysisType: 'comprehensive', series: dataset(10_000) }, 3));
  result.at_the_limits = await limitsSection(service, Math.min(REPS, 3));
  result.stdio_round_trip = await overStdio(3);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-analysis failed: ${String(err)}\n`);
  process.exit(1);
});
