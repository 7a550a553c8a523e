import { CairnError } from '../errors.js';
import {
  ANALYSIS_DEFAULTS,
  ANALYSIS_TYPES,
  type AnalysisConfig,
  type AnalysisRequest,
  type AnalysisType,
  LIMITS,
  SERIES_METRICS,
  type SeriesSource,
} from './types.js';

/** Largest accepted |value|: keeps sums of squares of 100,000 points finite. */
export const MAX_MAGNITUDE = 1e100;

/** A request after validation, with defaults applied. */
export interface ValidatedRequest {
  analysisType: AnalysisType;
  /** Series by name (a Map: names are the caller's, `constructor` included). */
  data: ReadonlyMap<string, number[]>;
  source?: SeriesSource;
  config: AnalysisConfig;
}

/** Formats a field path for messages: `time_series_data.a[1]`, `time_series_data["my series"][1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(input)';
}

/**
 * Validates a request and applies `ANALYSIS_DEFAULTS`. Throws `CairnError('INVALID_INPUT')` whose
 * message names the offending field as the tool spells it and what is accepted.
 */
export function validateRequest(req: AnalysisRequest): ValidatedRequest {
  const { analysisType, series: data, source } = req;
  if (!ANALYSIS_TYPES.includes(analysisType))
    throw new CairnError('INVALID_INPUT', `analysis_type: ${JSON.stringify(analysisType)} is not one of ${ANALYSIS_TYPES.join(', ')}.`);
  const given = Object.fromEntries(Object.entries(req.config ?? {}).filter(([, v]) => v !== undefined));
  const config = checkConfig({ ...ANALYSIS_DEFAULTS, ...given });
  if (source !== undefined && !SERIES_METRICS.includes(source.metric)) {
    throw new CairnError('INVALID_INPUT', `source.metric: ${JSON.stringify(source.metric)} is not one of ${SERIES_METRICS.join(', ')}.`);
  }
  if (data === undefined && source === undefined) {
    throw new CairnError('INVALID_INPUT', 'Provide time_series_data ({name: number[]}) or source ({metric, task_type?, domain?, bucket?}); neither was given.');
  }
  const series = new Map(Object.entries(data ?? {}));
  if (series.size > LIMITS.maxSeries) {
    throw new CairnError('INVALID_INPUT', `time_series_data: has ${series.size} series; at most ${LIMITS.maxSeries} are accepted per call.`);
  }
  if (data !== undefined && series.size === 0 && source === undefined) {
    throw new CairnError('INVALID_INPUT', 'time_series_data is empty; give at least one named series (or a source).');
  }
  const total = [...series.values()].reduce((n, v) => n + v.length, 0);
  if (total > LIMITS.maxTotalPoints) {
    throw new CairnError(
      'INVALID_INPUT',
      `time_series_data: holds ${total} points in all; at most ${LIMITS.maxTotalPoints} are accepted per call (split the series over several calls or shorten them).`,
    );
  }
  for (const [name, values] of series) checkSeries(formatPath(['time_series_data', name]), values, config);
  return { analysisType, data: series, ...(source ? { source } : {}), config };
}

/** Rejects options outside their ranges (the same ranges the tool's schema states). */
function checkConfig(c: AnalysisConfig): AnalysisConfig {
  const bad = (field: string, value: number, accepted: string) =>
    new CairnError('INVALID_INPUT', `config.${field}: ${value} is out of range; use ${accepted}.`);
  if (!(c.significanceLevel > 0 && c.significanceLevel <= 0.5)) throw bad('significance_level', c.significanceLevel, 'a number with 0 < alpha ≤ 0.5');
  if (!Number.isInteger(c.forecastHorizon) || c.forecastHorizon < 1 || c.forecastHorizon > 100)
    throw bad('forecast_horizon', c.forecastHorizon, 'a whole number from 1 to 100');
  if (!(c.anomalySensitivity >= 0 && c.anomalySensitivity <= 1)) throw bad('anomaly_sensitivity', c.anomalySensitivity, 'a number from 0 to 1');
  if (!Number.isInteger(c.maxDataPoints) || c.maxDataPoints < 3 || c.maxDataPoints > LIMITS.maxDataPointsCap) {
    throw bad('max_data_points', c.maxDataPoints, `a whole number from 3 to ${LIMITS.maxDataPointsCap}`);
  }
  return c;
}

/** Rejects non-finite values and series longer than `config.maxDataPoints`; `field` names the series. */
export function checkSeries(field: string, values: readonly number[], config: AnalysisConfig): void {
  if (values.length > config.maxDataPoints) {
    throw new CairnError(
      'INVALID_INPUT',
      `${field} has ${values.length} points, more than config.max_data_points = ${config.maxDataPoints}; shorten it or raise max_data_points (up to ${LIMITS.maxDataPointsCap}).`,
    );
  }
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new CairnError('INVALID_INPUT', `${field}[${bad}] must be a finite number (got ${String(values[bad])}).`);
  // Squares and sums of larger values overflow double precision.
  const huge = values.findIndex((v) => Math.abs(v) > MAX_MAGNITUDE);
  if (huge >= 0) throw new CairnError('INVALID_INPUT', `${field}[${huge}] is ${values[huge]}; values must lie within ±${MAX_MAGNITUDE} (rescale the series).`);
}
