import { detectAnomalies } from './anomalies.js';
import { detectChangepoints } from './changepoints.js';
import { pearson, spearman } from './correlation.js';
import { describe } from './descriptive.js';
import { forecastSeries } from './forecast.js';
import { grangerTest } from './granger.js';
import { mannKendall } from './mann-kendall.js';
import { olsTrend } from './regression.js';
import { senSlope } from './sen-slope.js';
import type { AdvancedAnalysisOutput, AnalysisConfig, SeriesReport } from './types.js';

type Sections = { statistical: boolean; predictive: boolean; causal: boolean };
type Correlation = NonNullable<AdvancedAnalysisOutput['correlations']>[number];
type GrangerEntry = NonNullable<AdvancedAnalysisOutput['granger_causality']>[number];

/** Which sections an analysis type runs. */
export function sectionsFor(type: AdvancedAnalysisOutput['analysis_type']): Sections {
  const all = type === 'comprehensive';
  return { statistical: all || type === 'statistical', predictive: all || type === 'predictive', causal: all || type === 'causal' };
}

/** Per-series results for the requested sections. */
export function seriesReport(name: string, values: readonly number[], sections: Sections, config: AnalysisConfig): SeriesReport {
  const alpha = config.significanceLevel;
  const report: SeriesReport = { name, n: values.length };
  if (sections.statistical) {
    report.descriptive = describe(values);
    report.trend = { ols: olsTrend(values, alpha), mann_kendall: mannKendall(values, alpha), sen_slope: senSlope(values, alpha) };
    report.changepoints = detectChangepoints(values, { alpha });
  }
  if (sections.predictive) {
    report.forecast = forecastSeries(values, config.forecastHorizon);
    const sen = report.trend?.sen_slope;
    report.anomalies = detectAnomalies(values, config.anomalySensitivity, sen && !sen.insufficient_data ? sen : undefined);
  }
  return report;
}

/** Series paired by index over their common length (the first min(n_a, n_b) points). */
function aligned(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const n = Math.min(a.length, b.length);
  return [a.slice(0, n), b.slice(0, n)];
}

/** Every unordered pair of series, in input order. */
function pairs(names: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) out.push([names[i] as string, names[j] as string]);
  return out;
}

/** Pearson and Spearman for every pair of series. */
export function correlations(series: ReadonlyMap<string, readonly number[]>, config: AnalysisConfig): Correlation[] {
  return pairs([...series.keys()]).map(([a, b]) => {
    const [x, y] = aligned(series.get(a) ?? [], series.get(b) ?? []);
    return { a, b, pearson: pearson(x, y, config.significanceLevel), spearman: spearman(x, y, config.significanceLevel) };
  });
}

/** Granger tests in both directions for every pair of series. */
export function grangerAll(series: ReadonlyMap<string, readonly number[]>, config: AnalysisConfig): GrangerEntry[] {
  const alpha = config.significanceLevel;
  return pairs([...series.keys()]).flatMap(([a, b]) => {
    const [x, y] = aligned(series.get(a) ?? [], series.get(b) ?? []);
    return [
      { cause: a, effect: b, result: grangerTest(x, y, { alpha, causeName: a, effectName: b }) },
      { cause: b, effect: a, result: grangerTest(y, x, { alpha, causeName: b, effectName: a }) },
    ];
  });
}

/** Replaces any non-finite number left in `value` by null, recording where (JSON has no NaN/Infinity). */
export function jsonSafe<T>(value: T, notes: string[], path = ''): T {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    notes.push(`${path || 'value'} was not a finite number and is reported as null.`);
    return null as T;
  }
  if (Array.isArray(value)) return value.map((v, i) => jsonSafe(v, notes, `${path}[${i}]`)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v, notes, path ? `${path}.${k}` : k);
    return out as T;
  }
  return value;
}
