import { describe, expect, it } from 'vitest';
import { type EtsFit, fitEts, forecastVarianceMultiplier, pointForecast, runEts } from '../../src/analysis/ets.js';
import { forecastSeries } from '../../src/analysis/forecast.js';
import { nelderMead } from '../../src/analysis/optimize.js';
import type { EtsModelFit, Success } from '../../src/analysis/types.js';
import { normalSeries } from './helpers.js';

function fitOf(models: EtsModelFit[], name: string): Success<EtsModelFit> {
  const m = models.find((x) => !x.insufficient_data && x.model === name);
  if (!m || m.insufficient_data) throw new Error(`no fit for ${name}`);
  return m;
}

describe('Nelder–Mead', () => {
  it('minimises the Rosenbrock function', () => {
    const rosen = (x: number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = nelderMead(rosen, [-1.2, 1], { maxEvaluations: 2000, tolerance: 1e-14 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
});

describe('exponential smoothing', () => {
  // y_t = 10 + 0.5 t + N(0, 0.3²): the level at t = 99 is 59.5 and the trend 0.5 per step.
  const trended = normalSeries(2, 100, 0, 0.3).map((e, i) => 10 + 0.5 * i + e);

  it('recovers a known level and trend and chooses Holt over simple by AIC', () => {
    const f = forecastSeries(trended, 10);
    if (f.insufficient_data) throw new Error('expected a result');
    expect(f.selected_model).toBe('holt');
    const holt = fitOf(f.models, 'holt');
    const simple = fitOf(f.models, 'simple');
    expect(holt.aic!).toBeLessThan(simple.aic!);
    expect(holt.final_level).toBeCloseTo(59.5, 0);
    expect(holt.final_trend!).toBeCloseTo(0.5, 1);
    expect(holt.sigma).toBeGreaterThan(0.2);
    expect(holt.sigma).toBeLessThan(0.4);
    // Forecast h steps ahead continues the line: 10 + 0.5 (99 + h)
    expect(f.points[9]!.forecast).toBeCloseTo(10 + 0.5 * 109, 0);
    expect(f.points).toHaveLength(10);
  });

  it('chooses simple smoothing for a flat noisy series and estimates its level', () => {
    const flat = normalSeries(51, 100, 20, 1);
    const f = forecastSeries(flat, 5);
    if (f.insufficient_data) throw new Error('expected a result');
    expect(f.selected_model).toBe('simple');
    const simple = fitOf(f.models, 'simple');
    expect(simple.final_level).toBeCloseTo(20, 0);
    expect(simple.parameters.alpha).toBeLessThan(0.2);
    expect(simple.parameters.beta).toBeNull();
  });

  it('95% interval at h = 1 is ± 1.96 σ and widens with h', () => {
    const f = forecastSeries(trended, 10);
    if (f.insufficient_data) throw new Error('expected a result');
    const sigma = fitOf(f.models, f.selected_model).sigma;
    const p1 = f.points[0]!;
    expect((p1.upper - p1.lower) / 2).toBeCloseTo(1.959963984540054 * sigma, 10);
    for (let h = 1; h < 10; h++) expect(f.points[h]!.upper - f.points[h]!.lower).toBeGreaterThanOrEqual(f.points[h - 1]!.upper - f.points[h - 1]!.lower);
  });

  it('h-step variance matches the closed forms of Hyndman et al. (2008), Table 6.1', () => {
    const make = (model: EtsFit['model'], alpha: number, beta: number, phi: number): EtsFit => ({
      model,
      params: { alpha, beta, phi, initialLevel: 0, initialTrend: 0 },
      level: 0,
      trend: 0,
      sse: 0,
      parameterCount: 0,
    });
    const [a, b, phi] = [0.4, 0.1, 0.9];
    for (const h of [1, 2, 5, 12]) {
      expect(forecastVarianceMultiplier(make('simple', a, 0, 1), h)).toBeCloseTo(1 + a * a * (h - 1), 12);
      expect(forecastVarianceMultiplier(make('holt', a, b, 1), h)).toBeCloseTo(1 + (h - 1) * (a * a + a * b * h + (b * b * h * (2 * h - 1)) / 6), 12);
      const damped =
        1 +
        a * a * (h - 1) +
        ((b * phi * h) / (1 - phi) ** 2) * (2 * a * (1 - phi) + b * phi) -
        ((b * phi * (1 - phi ** h)) / ((1 - phi) ** 2 * (1 - phi * phi))) * (2 * a * (1 - phi * phi) + b * phi * (1 + 2 * phi - phi ** h));
      expect(forecastVarianceMultiplier(make('damped_holt', a, b, phi), h)).toBeCloseTo(damped, 10);
    }
  });

  it('damped point forecasts converge to level + φ/(1−φ)·trend', () => {
    const fit: EtsFit = {
      model: 'damped_holt',
      params: { alpha: 0.5, beta: 0.1, phi: 0.9, initialLevel: 0, initialTrend: 0 },
      level: 10,
      trend: 1,
      sse: 0,
      parameterCount: 5,
    };
    expect(pointForecast(fit, 1)).toBeCloseTo(10.9, 12);
    expect(pointForecast(fit, 2000)).toBeCloseTo(10 + 9, 8);
  });

  it('fitted SSE equals the SSE of the recursion at the fitted parameters', () => {
    const fit = fitEts(trended, 'damped_holt');
    expect(runEts(trended, fit.params).sse).toBeCloseTo(fit.sse, 10);
    expect(fit.params.phi).toBeGreaterThanOrEqual(0.8);
    expect(fit.params.phi).toBeLessThanOrEqual(0.98);
    expect(fit.params.beta).toBeLessThan(fit.params.alpha);
  });

  it('too short: insufficient overall below 4 points, per model below its minimum', () => {
    expect(forecastSeries([1, 2, 3], 5)).toMatchObject({ insufficient_data: true, required: 4 });
    const f = forecastSeries([1, 2, 1.5, 2.5, 2], 3);
    if (f.insufficient_data) throw new Error('expected a result');
    expect(f.selected_model).toBe('simple');
    expect(f.models.filter((m) => m.insufficient_data)).toHaveLength(2);
  });

  it('an exactly linear series gives finite output (no Infinity, no NaN)', () => {
    const f = forecastSeries(
      Array.from({ length: 30 }, (_, i) => 2 * i + 1),
      5,
    );
    expect(JSON.stringify(f)).not.toMatch(/NaN|Infinity/);
    expect(f.insufficient_data === false && f.points[0]!.forecast).toBeCloseTo(61, 3);
  });
});
