import { describe, expect, it } from 'vitest';
import { createAnalysisService } from '../../src/analysis/service.js';
import type { AnalysisService } from '../../src/analysis/types.js';
import { advancedAnalysisInputSchema, advancedAnalysisOutputSchema, parseAnalysisInput } from '../../tools/schemas/analysis.js';

/** Calls the service as the tool does: raw input through the wire schema, then the request. */
const advanced = async (service: AnalysisService, ns: string, input: unknown) => service.advanced(ns, parseAnalysisInput(input));

import type { SeriesSource } from '../../src/analysis/types.js';
import { normalRng, normalSeries } from './helpers.js';

function fixtures(n = 120): Record<string, number[]> {
  const z = normalRng(21);
  const x: number[] = [];
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    x.push((t > 0 ? 0.5 * x[t - 1]! : 0) + z());
    y.push((t >= 2 ? 0.8 * x[t - 2]! : 0) + 0.5 * z());
  }
  return { x, y, trend: normalSeries(22, n, 0, 0.5).map((e, i) => 3 + 0.05 * i + e) };
}

const noSource = createAnalysisService({
  loadSeries: async () => {
    throw new Error('loadSeries must not be called without a source');
  },
});

describe('analysis service: comprehensive', () => {
  it('runs every section, matches the output schema and is plain JSON', async () => {
    const out = await advanced(noSource, 'ns', { analysis_type: 'comprehensive', time_series_data: fixtures() });
    expect(() => advancedAnalysisOutputSchema.parse(out)).not.toThrow();
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    expect(out.config).toEqual({ significance_level: 0.05, forecast_horizon: 10, anomaly_sensitivity: 0.5, max_data_points: 10000 });
    expect(out.series.map((s) => s.name)).toEqual(['x', 'y', 'trend']);
    const trend = out.series[2]!;
    for (const key of ['descriptive', 'trend', 'changepoints', 'forecast', 'anomalies'] as const) expect(trend[key]).toBeDefined();
    expect(trend.trend?.mann_kendall.insufficient_data === false && trend.trend.mann_kendall.trend).toBe('increasing');
    expect(trend.forecast?.insufficient_data === false && trend.forecast.points).toHaveLength(10);
    expect(out.correlations).toHaveLength(3);
    expect(out.granger_causality).toHaveLength(6);
    const xy = out.granger_causality!.find((g) => g.cause === 'x' && g.effect === 'y')!.result;
    const yx = out.granger_causality!.find((g) => g.cause === 'y' && g.effect === 'x')!.result;
    expect(xy.insufficient_data === false && xy.significant).toBe(true);
    expect(yx.insufficient_data === false && yx.significant).toBe(false);
    expect(out.notes.join(' ')).toMatch(/"trend" has a significant monotonic trend/);
  });

  it('every successful result states method, n and assumptions', async () => {
    const out = await advanced(noSource, 'ns', { analysis_type: 'comprehensive', time_series_data: fixtures(40) });
    const results: Array<{ insufficient_data: boolean; method: string; n: number; assumptions?: string[] }> = [];
    for (const s of out.series) {
      results.push(s.descriptive!, s.trend!.ols, s.trend!.mann_kendall, s.trend!.sen_slope, s.changepoints!, s.forecast!, s.anomalies!);
    }
    for (const c of out.correlations!) results.push(c.pearson, c.spearman);
    for (const g of out.granger_causality!) results.push(g.result);
    for (const r of results) {
      expect(r.insufficient_data).toBe(false);
      expect(typeof r.method).toBe('string');
      expect(r.n).toBeGreaterThan(0);
      expect(r.assumptions?.length).toBeGreaterThan(0);
    }
  });

  it('sections follow analysis_type', async () => {
    const data = fixtures(30);
    const stat = await advanced(noSource, 'ns', { analysis_type: 'statistical', time_series_data: data });
    expect(stat.series[0]!.forecast).toBeUndefined();
    expect(stat.granger_causality).toBeUndefined();
    expect(stat.correlations).toHaveLength(3);
    const pred = await advanced(noSource, 'ns', { analysis_type: 'predictive', time_series_data: data, config: { forecast_horizon: 3 } });
    expect(pred.series[0]!.descriptive).toBeUndefined();
    expect(pred.series[0]!.forecast?.insufficient_data === false && pred.series[0]!.forecast.points).toHaveLength(3);
    expect(pred.correlations).toBeUndefined();
    const causal = await advanced(noSource, 'ns', { analysis_type: 'causal', time_series_data: data });
    expect(causal.series[0]!.trend).toBeUndefined();
    expect(causal.granger_causality).toHaveLength(6);
  });

  it('short series give insufficient-data messages per part, not numbers', async () => {
    const out = await advanced(noSource, 'ns', { analysis_type: 'comprehensive', time_series_data: { a: [1, 2], b: [3, 1] } });
    const a = out.series[0]!;
    expect(a.descriptive).toMatchObject({ insufficient_data: true, n: 2, required: 3 });
    expect(a.forecast).toMatchObject({ insufficient_data: true });
    expect(a.changepoints).toMatchObject({ insufficient_data: true });
    expect(out.correlations![0]!.pearson).toMatchObject({ insufficient_data: true, message: expect.stringMatching(/at least 3/) });
    expect(out.granger_causality![0]!.result).toMatchObject({ insufficient_data: true });
    expect(() => advancedAnalysisOutputSchema.parse(out)).not.toThrow();
  });

  it('one series: pairwise sections are empty with a note', async () => {
    const out = await advanced(noSource, 'ns', { analysis_type: 'comprehensive', time_series_data: { only: normalSeries(3, 30) } });
    expect(out.correlations).toEqual([]);
    expect(out.granger_causality).toEqual([]);
    expect(out.notes.join(' ')).toMatch(/at least two/);
  });
});

describe('analysis service: source', () => {
  it('derives series through loadSeries with the namespace and parsed source', async () => {
    const calls: Array<[string, SeriesSource]> = [];
    const service = createAnalysisService({
      loadSeries: async (namespace, source) => {
        calls.push([namespace, source]);
        return { 'success_rate:debugging': normalSeries(4, 25, 0.7, 0.1) };
      },
    });
    const out = await advanced(service, 'team-a', { analysis_type: 'statistical', source: { metric: 'success_rate', task_type: 'debugging' } });
    expect(calls).toEqual([['team-a', { metric: 'success_rate', taskType: 'debugging', bucket: 'day' }]]);
    expect(out.series.map((s) => s.name)).toEqual(['success_rate:debugging']);
    expect(out.notes.join(' ')).toMatch(/Derived from stored episodes/);
  });

  it('no matching episodes is an answer with a note, not an error', async () => {
    const service = createAnalysisService({ loadSeries: async () => ({}) });
    const out = await advanced(service, 'ns', { analysis_type: 'predictive', source: { metric: 'reward', bucket: 'week' } });
    expect(out.series).toEqual([]);
    expect(out.notes[0]).toMatch(/No stored episodes matched source \(reward per week\)/);
  });

  it('rejects a derived series that collides with a given name or is too long', async () => {
    const service = createAnalysisService({ loadSeries: async () => ({ a: [1, 2, 3, 4, 5] }) });
    await expect(
      advanced(service, 'ns', { analysis_type: 'statistical', time_series_data: { a: [1, 2, 3] }, source: { metric: 'reward' } }),
    ).rejects.toBeCairnError('INVALID_INPUT', /time_series_data\.a has the same name/);
    await expect(
      advanced(service, 'ns', { analysis_type: 'statistical', source: { metric: 'reward' }, config: { max_data_points: 4 } }),
    ).rejects.toBeCairnError('INVALID_INPUT', /source \(derived series "a"\) has 5 points, more than config\.max_data_points = 4/);
  });
});

describe('analysis service: validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['neither data nor source', { analysis_type: 'statistical' }, /Provide time_series_data .* or source/],
    [
      'non-finite value',
      { analysis_type: 'statistical', time_series_data: { a: [1, Infinity, 3] } },
      /time_series_data\.a\[1\] must be a finite number \(got Infinity\)/,
    ],
    [
      'NaN in a quoted name',
      { analysis_type: 'statistical', time_series_data: { 'my series': [1, Number.NaN] } },
      /time_series_data\["my series"\]\[1\] must be a finite number/,
    ],
    [
      'too long',
      { analysis_type: 'statistical', time_series_data: { a: [1, 2, 3, 4] }, config: { max_data_points: 3 } },
      /time_series_data\.a has 4 points, more than config\.max_data_points = 3/,
    ],
    ['bad analysis_type', { analysis_type: 'magic', time_series_data: { a: [1, 2, 3] } }, /analysis_type: Invalid option/],
    [
      'horizon out of range',
      { analysis_type: 'predictive', time_series_data: { a: [1, 2, 3] }, config: { forecast_horizon: 101 } },
      /config\.forecast_horizon/,
    ],
    [
      'sensitivity out of range',
      { analysis_type: 'predictive', time_series_data: { a: [1, 2, 3] }, config: { anomaly_sensitivity: 2 } },
      /config\.anomaly_sensitivity/,
    ],
    ['empty data', { analysis_type: 'statistical', time_series_data: {} }, /time_series_data is empty/],
    ['bad metric', { analysis_type: 'statistical', source: { metric: 'vibes' } }, /source\.metric/],
    [
      'too many series',
      { analysis_type: 'statistical', time_series_data: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, [1, 2, 3]])) },
      /21 series; at most 20/,
    ],
  ];
  it.each(cases)('%s → INVALID_INPUT naming the field', async (_label, input, pattern) => {
    await expect(advanced(noSource, 'ns', input)).rejects.toBeCairnError('INVALID_INPUT', pattern);
  });

  it("the service checks a request that did not come through the schema, naming the tool's fields", async () => {
    const series = { a: [1, 2, 3] };
    await expect(noSource.advanced('ns', { analysisType: 'predictive', series, config: { forecastHorizon: 101 } })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /^config\.forecast_horizon: 101 is out of range/,
    );
    await expect(noSource.advanced('ns', { analysisType: 'predictive', series, config: { significanceLevel: 0 } })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /^config\.significance_level/,
    );
    await expect(noSource.advanced('ns', { analysisType: 'magic' as never, series })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /^analysis_type: "magic" is not one of/,
    );
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`s${i}`, [1, 2, 3]]));
    await expect(noSource.advanced('ns', { analysisType: 'statistical', series: many })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /^time_series_data: has 21 series; at most 20/,
    );
    const big = { a: Array.from({ length: 6000 }, (_, i) => i), b: Array.from({ length: 6000 }, (_, i) => i) };
    await expect(noSource.advanced('ns', { analysisType: 'statistical', series: big })).rejects.toBeCairnError(
      'INVALID_INPUT',
      /^time_series_data: holds 12000 points in all; at most 10000/,
    );
    const out = await noSource.advanced('ns', { analysisType: 'statistical', series, config: { forecastHorizon: undefined } });
    expect(out.config).toEqual({ significance_level: 0.05, forecast_horizon: 10, anomaly_sensitivity: 0.5, max_data_points: 10000 });
  });

  it('the input schema applies defaults the tool layer can rely on', () => {
    const parsed = advancedAnalysisInputSchema.parse({ analysis_type: 'causal', source: { metric: 'duration_ms' } });
    expect(parsed.source?.bucket).toBe('day');
  });
});
