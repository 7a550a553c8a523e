/**
 * Timing of `advanced_pattern_analysis` through the analysis service (no MCP, no storage):
 * comprehensive analysis of 5 series × 1,000 points (target < 500 ms), each section alone, and
 * larger sizes. Data come from a fixed-seed generator. Prints JSON.
 * Usage: node dist/scripts/bench-analysis.js [repetitions = 20]
 */
import { availableParallelism, loadavg } from 'node:os';
import { createAnalysisService } from '../src/analysis/service.js';
import type { AnalysisRequest } from '../src/analysis/types.js';
import { mulberry32 } from '../src/prng.js';
import { quantile } from './lib/stats.js';

const REPS = Number(process.argv[2] ?? 20);

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
  return { runs: samples.length, wall_p50_ms: r(quantile(wall, 0.5)), wall_p95_ms: r(quantile(wall, 0.95)), cpu_p50_ms: r(quantile(cpu, 0.5)), cpu_p95_ms: r(quantile(cpu, 0.95)) };
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

async function main() {
  const service = createAnalysisService({ loadSeries: async () => ({}) });
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
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-analysis failed: ${String(err)}\n`);
  process.exit(1);
});
