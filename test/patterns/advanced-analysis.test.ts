import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdvancedAnalysisOutput, Success } from '../../src/analysis/types.js';
import { createManualClock } from '../../src/clock.js';
import { createLoadSeries } from '../../src/patterns/series.js';
import { mulberry32 } from '../../src/prng.js';
import { createSeriesRepo } from '../../src/storage/series-repo.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 10, 2, 9, 0, 0); // a Monday
const clock = createManualClock(t0);
beforeEach(async () => {
  clock.set(t0);
  s = await startTestServer({ clock });
});
afterEach(async () => {
  await s.close();
});

/** The computed branch of a result, failing the test when the method reported too little data. */
function computed<T extends { insufficient_data: boolean }>(r: T): Success<T> {
  expect(r.insufficient_data).toBe(false);
  return r as Success<T>;
}

/** The full report (`detail: "full"`): every number, as the service computes it. */
async function full(args: Record<string, unknown>): Promise<AdvancedAnalysisOutput> {
  const r = await s.call('advanced_pattern_analysis', { ...args, detail: 'full' });
  expect(r.detail).toBe('full');
  return r as AdvancedAnalysisOutput;
}

/** One episode started and completed at `at` (+ 1 minute) with `steps` steps. */
async function episodeAt(at: number, outcome: 'success' | 'failure', steps: number, task_type = 'debugging') {
  clock.set(at);
  const { episode_id } = await s.call('start_episode', { task: 'fix a bug', task_type, domain: 'web-api' });
  for (let i = 0; i < steps; i++) await s.call('log_step', { episode_id, tool: `t${i}`, action: 'act', result: { type: 'success' } });
  clock.set(at + 60_000);
  await s.call('complete_episode', { episode_id, outcome: { type: outcome } });
}

describe('advanced_pattern_analysis', () => {
  it('analyses series given by the caller', async () => {
    const x = Array.from({ length: 12 }, (_, i) => i + 1);
    const r = await full({ analysis_type: 'statistical', time_series_data: { x, y: x.map((v) => 2 * v + 1) } });
    expect(r.analysis_type).toBe('statistical');
    expect(r.series.map((p) => p.name)).toEqual(['x', 'y']);
    expect(r.series[0]!.descriptive).toMatchObject({ insufficient_data: false, n: 12, mean: 6.5, median: 6.5 });
    expect(r.series[1]!.trend!.ols).toMatchObject({ slope: expect.closeTo(2, 9), direction: 'increasing' });
    expect(r.correlations![0]).toMatchObject({ a: 'x', b: 'y', pearson: { r: expect.closeTo(1, 9) } });
    expect(r.config).toEqual({ significance_level: 0.05, forecast_horizon: 10, anomaly_sensitivity: 0.5, max_data_points: 10_000 });
  });

  it('derives day and week series from stored episodes, with filters', async () => {
    // Success per day: 0/2, 1/2, 1/2, 2/2, 2/2 (debugging); one testing episode on day 2 is filtered out.
    const plan: Array<Array<'success' | 'failure'>> = [
      ['failure', 'failure'],
      ['success', 'failure'],
      ['failure', 'success'],
      ['success', 'success'],
      ['success', 'success'],
    ];
    for (const [d, outcomes] of plan.entries()) {
      for (const [k, o] of outcomes.entries()) await episodeAt(t0 + d * DAY + k * 3_600_000, o, d + 1);
    }
    await episodeAt(t0 + 2 * DAY, 'failure', 9, 'testing');
    // Next week: one success.
    await episodeAt(t0 + 8 * DAY, 'success', 1);

    const daily = await full({
      analysis_type: 'statistical',
      source: { metric: 'success_rate', task_type: 'debugging', bucket: 'day' },
    });
    expect(daily.series).toHaveLength(1);
    expect(daily.series[0]).toMatchObject({ name: 'success_rate_per_day', n: 6 });
    expect(computed(daily.series[0]!.descriptive!).mean).toBeCloseTo((0 + 0.5 + 0.5 + 1 + 1 + 1) / 6, 12);
    expect(daily.notes.join(' ')).toMatch(/Derived from stored episodes: success_rate_per_day/);

    const steps = await full({ analysis_type: 'statistical', source: { metric: 'step_count', task_type: 'debugging' } });
    expect(steps.series[0]!.descriptive).toMatchObject({ n: 6, min: 1, max: 5 });
    expect(computed(steps.series[0]!.trend!.ols).slope).toBeGreaterThan(0);

    const weekly = await full({ analysis_type: 'statistical', source: { metric: 'success_rate', bucket: 'week' } });
    // Week 1: 6 successes of 11 episodes (incl. the testing one); week 2: 1 of 1.
    expect(weekly.series[0]!.name).toBe('success_rate_per_week');
    expect(weekly.series[0]!.n).toBe(2);
    expect(weekly.series[0]!.descriptive).toMatchObject({ insufficient_data: true });
    const load = createLoadSeries(createSeriesRepo(s.app.db));
    const values = await load('default', { metric: 'success_rate', bucket: 'week' });
    expect(values.success_rate_per_week![0]).toBeCloseTo(6 / 11, 12);
    expect(values.success_rate_per_week![1]).toBe(1);
    expect(await load('default', { metric: 'step_count', bucket: 'day', taskType: 'testing' })).toEqual({ step_count_per_day: [9] });

    const duration = await full({ analysis_type: 'statistical', source: { metric: 'duration_ms', domain: 'web-api' } });
    expect(duration.series[0]!.descriptive).toMatchObject({ mean: 60_000, std_dev: 0 });

    const mixed = await full({
      analysis_type: 'comprehensive',
      time_series_data: { load: [3, 4, 2, 5, 6, 7] },
      source: { metric: 'reward', task_type: 'debugging' },
      config: { forecast_horizon: 3 },
    });
    expect(mixed.series.map((p) => p.name)).toEqual(['load', 'reward_per_day']);
    expect(mixed.granger_causality).toBeDefined();
  });

  it('summarises by default: rounded key numbers, significant correlations and Granger tests in words, with counts', async () => {
    const u = mulberry32(7);
    const x: number[] = [];
    const y: number[] = [];
    for (let t = 0; t < 200; t++) {
      x.push((t > 0 ? 0.5 * x[t - 1]! : 0) + u() - 0.5);
      y.push((t >= 2 ? 0.8 * x[t - 2]! : 0) + 0.2 * (u() - 0.5));
    }
    const noise = Array.from({ length: 200 }, () => u());
    const r = await s.call('advanced_pattern_analysis', { analysis_type: 'comprehensive', time_series_data: { x, y, noise } });
    if (r.detail !== 'summary') throw new Error('expected the summary');
    expect(r.findings.some((f) => /^x precedes y \(Granger p < 0\.001, lag 2/.test(f))).toBe(true);
    expect(r.granger_counts).toEqual({ tested: 6, significant: r.granger_causality!.length });
    expect(r.granger_causality![0]).toMatchObject({ cause: 'x', effect: 'y', lag: 2 });
    expect(r.correlation_counts!.tested).toBe(3);
    expect(r.series.map((p) => p.name)).toEqual(['x', 'y', 'noise']);
    const mean = r.series[0]!.stats!.mean!;
    expect(Number(mean.toPrecision(4))).toBe(mean);
    expect(r.series[0]!.forecast!.points).toHaveLength(10);
    const whole = await full({ analysis_type: 'comprehensive', time_series_data: { x, y, noise } });
    expect(computed(whole.series[0]!.descriptive!).mean).toBeCloseTo(r.series[0]!.stats!.mean!, 3);
  });

  it('says so when no stored episode matches, and rejects bad input naming the field', async () => {
    const r = await s.call('advanced_pattern_analysis', { analysis_type: 'predictive', source: { metric: 'reward', domain: 'nowhere' } });
    expect(r.series).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/No stored episodes matched/);
    expect(await s.callError('advanced_pattern_analysis', { analysis_type: 'statistical', source: { metric: 'happiness' } })).toMatch(/metric/);
  });
});
