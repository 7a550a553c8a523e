import { z } from 'zod';
import { type AdvancedAnalysisOutput, ANALYSIS_TYPES, type AnalysisRequest, ETS_MODELS, LIMITS, SERIES_METRICS } from '../../src/analysis/types.js';
import { formatPath } from '../../src/analysis/validate.js';
import { CairnError } from '../../src/errors.js';
import { guardJson } from '../../src/json-guard.js';

/**
 * Zod schemas for `advanced_pattern_analysis`: the input contract and the output shape, and the
 * mapping from the one to the service's `AnalysisRequest`. Every numeric output is finite or
 * `null` (with a note saying why), so the output is plain JSON.
 */

/** Series count and total points of `time_series_data` within {@link LIMITS}. */
const seriesDataSchema = z.record(z.string().min(1).max(LIMITS.maxSeriesName), z.array(z.number()).max(LIMITS.maxDataPointsCap)).superRefine((data, ctx) => {
  const lengths = Object.values(data).map((v) => v.length);
  if (lengths.length > LIMITS.maxSeries)
    ctx.addIssue({ code: 'custom', message: `has ${lengths.length} series; at most ${LIMITS.maxSeries} are accepted per call` });
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total > LIMITS.maxTotalPoints) {
    ctx.addIssue({
      code: 'custom',
      message: `holds ${total} points in all; at most ${LIMITS.maxTotalPoints} are accepted per call (split the series over several calls or shorten them)`,
    });
  }
});

/** Where to derive series from stored episodes. `bucket` defaults to `day`. */
export const seriesSourceSchema = z.object({
  metric: z.enum(SERIES_METRICS),
  task_type: z.string().min(1).max(100).optional(),
  domain: z.string().min(1).max(100).optional(),
  bucket: z.enum(['day', 'week']).default('day'),
});

/** Analysis options. Defaults: significance_level 0.05, forecast_horizon 10, anomaly_sensitivity 0.5, max_data_points 10000. */
export const analysisConfigSchema = z.object({
  significance_level: z.number().gt(0).max(0.5).default(0.05),
  forecast_horizon: z.number().int().min(1).max(100).default(10),
  anomaly_sensitivity: z.number().min(0).max(1).default(0.5).describe('Higher flags more.'),
  max_data_points: z.number().int().min(3).max(LIMITS.maxDataPointsCap).default(10_000),
});

/** Input of `advanced_pattern_analysis`. Give `time_series_data`, `source`, or both. */
export const advancedAnalysisInputSchema = z.object({
  analysis_type: z.enum(ANALYSIS_TYPES),
  time_series_data: guardJson(seriesDataSchema)
    .optional()
    .describe(`Named series, equally spaced, oldest first (≤ ${LIMITS.maxSeries} series, ${LIMITS.maxTotalPoints} points in all).`),
  source: seriesSourceSchema.optional(),
  config: analysisConfigSchema.optional(),
});

const insufficientSchema = z.object({
  insufficient_data: z.literal(true),
  method: z.string(),
  n: z.number().int(),
  required: z.number().int().describe('Points the method needs.'),
  message: z.string(),
});

const resultBase = {
  insufficient_data: z.literal(false),
  method: z.string(),
  n: z.number().int(),
  assumptions: z.array(z.string()),
  notes: z.array(z.string()).optional(),
};

/** A method's result with method/n/assumptions, or an insufficient-data message instead of numbers. */
function outcome<S extends z.ZodRawShape>(shape: S) {
  return z.union([z.object({ ...resultBase, ...shape }), insufficientSchema]);
}

const num = z.number();
const nullableNum = z.number().nullable();
const interval = z.object({ lower: nullableNum, upper: nullableNum, level: num });

/** Descriptive statistics of one series. */
export const descriptiveSchema = outcome({
  mean: num,
  median: num,
  std_dev: num,
  variance: num,
  min: num,
  max: num,
  q1: num,
  q3: num,
  iqr: num,
  mad: num.describe('Median absolute deviation (unscaled).'),
  skewness: nullableNum,
  excess_kurtosis: nullableNum,
  coefficient_of_variation: nullableNum,
});

/** OLS fit with slope inference (also used for the linear trend over the time index). */
export const regressionSchema = outcome({
  slope: num,
  intercept: num,
  slope_std_error: num,
  intercept_std_error: num,
  slope_ci: interval,
  t_statistic: nullableNum,
  p_value: num,
  r_squared: nullableNum,
  residual_std_error: num,
  df: z.number().int(),
  significant: z.boolean(),
  direction: z.enum(['increasing', 'decreasing', 'none']),
});

/** Mann–Kendall trend test. */
export const mannKendallSchema = outcome({
  s: num,
  var_s: num,
  z: num,
  p_value: num,
  tau: num,
  tie_groups: z.number().int(),
  significant: z.boolean(),
  trend: z.enum(['increasing', 'decreasing', 'none']),
});

/** Sen's slope (per time step) with Gilbert's confidence interval. */
export const senSlopeSchema = outcome({ slope: num, intercept: num, slope_ci: interval });

/** The three trend views of one series. */
export const trendSchema = z.object({ ols: regressionSchema, mann_kendall: mannKendallSchema, sen_slope: senSlopeSchema });

/** Pearson correlation with t-test and Fisher-z interval. */
export const pearsonSchema = outcome({
  r: num,
  t_statistic: nullableNum,
  df: z.number().int(),
  p_value: num,
  ci: interval.nullable(),
  significant: z.boolean(),
});

/** Spearman rank correlation; `p_method` says whether the p-value is exact. */
export const spearmanSchema = outcome({
  rho: num,
  p_value: num,
  p_method: z.enum(['exact_permutation', 't_approximation']),
  t_statistic: nullableNum,
  df: z.number().int(),
  significant: z.boolean(),
});

/** Changepoints and the segments they delimit (segment `end` is inclusive). */
export const changepointsSchema = outcome({
  cost: z.string(),
  penalty: z.object({ name: z.string(), value: num }),
  min_segment_length: z.number().int(),
  changepoints: z.array(
    z.object({
      index: z.number().int().describe('First index of the new segment.'),
      kind: z.enum(['mean_shift', 'variance_change', 'mean_and_variance', 'unconfirmed']),
      mean_before: num,
      mean_after: num,
      sd_before: num,
      sd_after: num,
      mean_p_value: nullableNum,
      variance_p_value: nullableNum,
    }),
  ),
  segments: z.array(z.object({ start: z.number().int(), end: z.number().int(), n: z.number().int(), mean: num, sd: num })),
});

/** One fitted exponential smoothing model with its information criteria. */
export const etsModelSchema = outcome({
  model: z.enum(ETS_MODELS),
  ets: z.string().describe('ETS taxonomy name, e.g. ETS(A,A,N).'),
  parameters: z.object({ alpha: num, beta: nullableNum, phi: nullableNum, initial_level: num, initial_trend: nullableNum }),
  final_level: num,
  final_trend: nullableNum,
  sse: num,
  sigma: num,
  k: z.number().int().describe('Estimated parameters counted by the information criteria, including σ².'),
  log_likelihood: nullableNum,
  aic: nullableNum,
  aicc: nullableNum,
  bic: nullableNum,
});

/** Chosen model, point forecasts and 95% prediction intervals, plus every candidate fit. */
export const forecastSchema = outcome({
  selected_model: z.enum(ETS_MODELS),
  selection: z.string(),
  horizon: z.number().int(),
  level: num,
  points: z.array(z.object({ step: z.number().int(), forecast: num, lower: num, upper: num })),
  models: z.array(etsModelSchema),
});

/** Robust (median/MAD) anomalies around Sen's line. */
export const anomaliesSchema = outcome({
  sensitivity: num,
  threshold: num,
  baseline: z.object({ slope: num, intercept: num }),
  scale: num,
  scale_method: z.enum(['mad', 'mean_absolute_deviation', 'none']),
  count: z.number().int(),
  truncated: z.boolean(),
  anomalies: z.array(z.object({ index: z.number().int(), value: num, expected: num, robust_z: num, direction: z.enum(['high', 'low']) })),
});

/** One direction of a Granger test (predictive precedence). */
export const grangerSchema = outcome({
  lag: z.number().int(),
  max_lag: z.number().int(),
  lag_selection: z.string(),
  f_statistic: nullableNum,
  df1: z.number().int(),
  df2: z.number().int(),
  p_value: num,
  significant: z.boolean(),
  interpretation: z.string(),
});

/** Everything computed for one series; sections depend on `analysis_type`. */
export const seriesReportSchema = z.object({
  name: z.string(),
  n: z.number().int(),
  descriptive: descriptiveSchema.optional(),
  trend: trendSchema.optional(),
  changepoints: changepointsSchema.optional(),
  forecast: forecastSchema.optional(),
  anomalies: anomaliesSchema.optional(),
});

/**
 * The full report of `advanced_pattern_analysis` (`detail: "full"`), field by field: every number
 * finite or null. The tool lists a looser schema to keep the catalogue small; this one is the
 * contract the service's type is checked against, here and in the tests.
 */
export const advancedAnalysisOutputSchema = z.object({
  analysis_type: z.enum(ANALYSIS_TYPES),
  config: z.object({ significance_level: num, forecast_horizon: z.number().int(), anomaly_sensitivity: num, max_data_points: z.number().int() }),
  series: z.array(seriesReportSchema),
  correlations: z.array(z.object({ a: z.string(), b: z.string(), pearson: pearsonSchema, spearman: spearmanSchema })).optional(),
  granger_causality: z.array(z.object({ cause: z.string(), effect: z.string(), result: grangerSchema })).optional(),
  notes: z.array(z.string()),
});

// The service's result type and this schema describe one shape: a change to either fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const outputMatchesService: Same<z.output<typeof advancedAnalysisOutputSchema>, AdvancedAnalysisOutput> = true;
void outputMatchesService;

function issueText(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path);
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    const received = (issue as { received?: unknown }).received;
    return `${at} must be a finite number${received === undefined ? '' : ` (got ${String(received)})`}`;
  }
  return `${at}: ${issue.message}`;
}

/**
 * Validates raw `advanced_pattern_analysis` input against the schema (defaults applied) and maps
 * it to the service's request. Throws `CairnError('INVALID_INPUT')` naming the offending fields.
 */
export function parseAnalysisInput(input: unknown): AnalysisRequest {
  const parsed = advancedAnalysisInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues.slice(0, 3).map(issueText).join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    throw new CairnError('INVALID_INPUT', `Invalid advanced_pattern_analysis input: ${shown}${more}.`, { details: { issues: issues.slice(0, 10) } });
  }
  const { analysis_type, time_series_data, source, config } = parsed.data;
  return {
    analysisType: analysis_type,
    ...(time_series_data !== undefined ? { series: time_series_data } : {}),
    ...(source !== undefined
      ? {
          source: {
            metric: source.metric,
            bucket: source.bucket,
            ...(source.task_type !== undefined ? { taskType: source.task_type } : {}),
            ...(source.domain !== undefined ? { domain: source.domain } : {}),
          },
        }
      : {}),
    ...(config !== undefined
      ? {
          config: {
            significanceLevel: config.significance_level,
            forecastHorizon: config.forecast_horizon,
            anomalySensitivity: config.anomaly_sensitivity,
            maxDataPoints: config.max_data_points,
          },
        }
      : {}),
  };
}
