/**
 * How much calibration helps: simulated users with a known estimation bias (true ratio actual ÷
 * raw of 1.3, 2.0 and 3.2) and lognormal noise finish tasks; after 5, 10 and 20 of them Cairn's
 * learned multiplier predicts the next 50. Prints the mean absolute percentage error (MAPE) of
 * raw × multiplier for: raw estimates (× 1), the fixed default (× 2.5), the calibrated multiplier
 * after n tasks, and the true ratio (the floor the noise allows). A second table adds the
 * transition buffer to every estimate (realistic = raw × m + buffer), and a third scenario adds
 * 5% "forgotten timer" outliers (actual × 5) to the training tasks. MAPE divides by the actual, so
 * under lognormal noise it rewards predicting low; the symmetric "typical factor off" table (what
 * the log-scale estimator targets) is printed alongside. Everything is seeded.
 *
 * Usage: node dist/scripts/eval-calibration.js [users per ratio = 300] [log-sd of noise = 0.35] [seed = 42]
 */
import { defaultCalibration, fitMultiplier, realisticEstimate } from '../src/adhd/calibration.js';
import { DEFAULT_RULES } from '../src/adhd/types.js';
import { createPrng, type Prng } from '../src/prng.js';

const USERS = Number(process.argv[2] ?? 300);
const SIGMA = Number(process.argv[3] ?? 0.35);
const SEED = Number(process.argv[4] ?? 42);
const RATIOS = [1.3, 2.0, 3.2];
const TRAIN = [5, 10, 20];
const TEST_TASKS = 50;
const DEFAULT = 2.5;

interface Task {
  raw: number;
  actual: number;
}

function simulateTasks(rng: Prng, ratio: number, n: number, outlierRate: number): Task[] {
  return Array.from({ length: n }, () => {
    const raw = 5 + Math.round(rng.next() * 55);
    let actual = raw * ratio * Math.exp(SIGMA * rng.normal());
    if (rng.next() < outlierRate) actual *= 5;
    return { raw, actual };
  });
}

type Conditions = Record<string, number>;

type Metric = 'ape' | 'log';

function evaluate(outlierRate: number, withBuffer: boolean, metric: Metric = 'ape'): Record<string, Conditions> {
  const rng = createPrng(SEED);
  const out: Record<string, Conditions> = {};
  for (const ratio of RATIOS) {
    const sums: Record<string, number> = {};
    let count = 0;
    for (let u = 0; u < USERS; u++) {
      const train = simulateTasks(rng, ratio, Math.max(...TRAIN), outlierRate);
      const test = simulateTasks(rng, ratio, TEST_TASKS, 0);
      const multipliers: Record<string, number> = { raw: 1, 'fixed 2.5×': DEFAULT };
      for (const k of TRAIN) {
        multipliers[`calibrated@${k}`] = fitMultiplier(
          train.slice(0, k).map((t) => t.actual / t.raw),
          { defaultMultiplier: DEFAULT },
        ).multiplier;
      }
      multipliers['true ratio'] = ratio;
      for (const [name, m] of Object.entries(multipliers)) {
        for (const t of test) {
          const predicted =
            withBuffer && name !== 'raw'
              ? realisticEstimate(t.raw, { ...defaultCalibration(DEFAULT), multiplier: m }, DEFAULT_RULES).realisticMinutes
              : t.raw * m;
          const err = metric === 'ape' ? Math.abs(predicted - t.actual) / t.actual : Math.abs(Math.log(predicted / t.actual));
          sums[name] = (sums[name] ?? 0) + err;
        }
      }
      count += test.length;
    }
    // 'log' is reported as the typical factor off, exp(mean |log error|) − 1, in percent.
    const scale = (v: number) => (metric === 'ape' ? v / count : Math.exp(v / count) - 1);
    out[ratio.toFixed(1)] = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round(scale(v) * 1000) / 10]));
  }
  return out;
}

function table(title: string, rows: Record<string, Conditions>): string {
  const cols = Object.keys(Object.values(rows)[0] ?? {});
  const head = `| true ratio | ${cols.join(' | ')} |`;
  const sep = `|---|${cols.map(() => '---:').join('|')}|`;
  const body = Object.entries(rows).map(([r, c]) => `| ${r} | ${cols.map((k) => `${c[k]}%`).join(' | ')} |`);
  return [`${title}`, head, sep, ...body].join('\n');
}

const results = {
  setup: {
    usersPerRatio: USERS,
    logSdNoise: SIGMA,
    seed: SEED,
    rawEstimates: 'uniform 5–60 min',
    testTasksPerUser: TEST_TASKS,
    method: fitMultiplier([2, 2, 2, 2, 2], { defaultMultiplier: DEFAULT }).method,
  },
  mape: evaluate(0, false),
  typicalFactorOff: evaluate(0, false, 'log'),
  mapeWithBuffer: evaluate(0, true),
  mapeWith5PercentOutliersInTraining: evaluate(0.05, false),
};
process.stdout.write(JSON.stringify(results, null, 2) + '\n\n');
process.stdout.write(table('MAPE of raw × multiplier vs actual (lower is better)', results.mape) + '\n\n');
process.stdout.write(table('Typical factor off, exp(mean |log(predicted/actual)|) − 1 (symmetric in over- and under-runs)', results.typicalFactorOff) + '\n\n');
process.stdout.write(table('MAPE of realistic = raw × multiplier + transition buffer', results.mapeWithBuffer) + '\n\n');
process.stdout.write(table('MAPE with 5% forgotten-timer outliers (× 5) among the training tasks', results.mapeWith5PercentOutliersInTraining) + '\n');
