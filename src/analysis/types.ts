/**
 * Vocabulary of time-series analysis. A leaf: it imports nothing. Results keep the snake_case
 * names `advanced_pattern_analysis` returns (tools/schemas/analysis.ts checks its output schema
 * against these types); requests are camelCase.
 */

/** Metrics that can be derived from stored episodes. */
export const SERIES_METRICS = ['success_rate', 'reward', 'duration_ms', 'step_count'] as const;
/** One of `SERIES_METRICS`. */
export type SeriesMetric = (typeof SERIES_METRICS)[number];
/** Analysis kinds; `comprehensive` runs the other three. */
export const ANALYSIS_TYPES = ['statistical', 'predictive', 'causal', 'comprehensive'] as const;
/** One of `ANALYSIS_TYPES`. */
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];
/** Exponential smoothing models considered: ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N). */
export const ETS_MODELS = ['simple', 'holt', 'damped_holt'] as const;
/** One of `ETS_MODELS`. */
export type EtsModelName = (typeof ETS_MODELS)[number];

/**
 * Hard caps that keep one call bounded in time and response size: the largest accepted input
 * answers in well under 2 s on a 2-core machine (`node dist/scripts/bench-analysis.js`) and its
 * JSON (about 25 bytes a point) fits the HTTP body limit of 1 MiB. Pairwise methods make the
 * cost grow with series × points, hence a cap on the total as well as on each series.
 */
export const LIMITS = { maxSeries: 20, maxSeriesName: 100, maxDataPointsCap: 10_000, maxTotalPoints: 10_000 } as const;

/** Where a series is derived from stored episodes. */
export interface SeriesSource {
  metric: SeriesMetric;
  taskType?: string;
  domain?: string;
  /** Time bucket of the series. */
  bucket: 'day' | 'week';
}

/** Analysis options. */
export interface AnalysisConfig {
  /** Alpha for tests and confidence intervals, 0 < alpha ≤ 0.5. Default 0.05. */
  significanceLevel: number;
  /** Steps to forecast, 1..100. Default 10. */
  forecastHorizon: number;
  /** 0..1: robust-z threshold = 5 − 3 × sensitivity. Default 0.5. */
  anomalySensitivity: number;
  /** Longest series accepted, 3..`LIMITS.maxDataPointsCap`. Default 10,000. */
  maxDataPoints: number;
}

/** The defaults of `AnalysisConfig`. */
export const ANALYSIS_DEFAULTS: Readonly<AnalysisConfig> = Object.freeze({
  significanceLevel: 0.05,
  forecastHorizon: 10,
  anomalySensitivity: 0.5,
  maxDataPoints: 10_000,
});

/** What `advanced` is asked: series given, series derived from `source`, or both. */
export interface AnalysisRequest {
  analysisType: AnalysisType;
  /** Named series of finite numbers, oldest first. */
  series?: Record<string, number[]>;
  source?: SeriesSource;
  /** Options; missing ones take `ANALYSIS_DEFAULTS`. */
  config?: Partial<AnalysisConfig>;
}

/** A method's "too little data" answer, given instead of numbers. */
export interface InsufficientData {
  insufficient_data: true;
  method: string;
  n: number;
  /** Points the method needs. */
  required: number;
  message: string;
}

/** What every computed result states. */
interface ResultBase {
  insufficient_data: false;
  method: string;
  n: number;
  assumptions: string[];
  notes?: string[];
}

/** A method's result with method/n/assumptions, or an insufficient-data message instead of numbers. */
export type Outcome<T> = (ResultBase & T) | InsufficientData;

/** The successful branch of an outcome union. */
export type Success<T> = Exclude<T, InsufficientData>;

/** A confidence interval; bounds are null when they cannot be computed. */
export interface Interval {
  lower: number | null;
  upper: number | null;
  level: number;
}

/** Descriptive statistics of one series. */
export type Descriptive = Outcome<{
  mean: number;
  median: number;
  std_dev: number;
  variance: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  iqr: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  skewness: number | null;
  excess_kurtosis: number | null;
  coefficient_of_variation: number | null;
}>;

/** Direction of a trend. */
export type TrendDirection = 'increasing' | 'decreasing' | 'none';

/** OLS fit with slope inference (also the linear trend over the time index). */
export type Regression = Outcome<{
  slope: number;
  intercept: number;
  slope_std_error: number;
  intercept_std_error: number;
  slope_ci: Interval;
  t_statistic: number | null;
  p_value: number;
  r_squared: number | null;
  residual_std_error: number;
  df: number;
  significant: boolean;
  direction: TrendDirection;
}>;

/** Mann–Kendall trend test. */
export type MannKendall = Outcome<{
  s: number;
  var_s: number;
  z: number;
  p_value: number;
  tau: number;
  tie_groups: number;
  significant: boolean;
  trend: TrendDirection;
}>;

/** Sen's slope (per time step) with Gilbert's confidence interval. */
export type SenSlope = Outcome<{ slope: number; intercept: number; slope_ci: Interval }>;

/** Pearson correlation with t-test and Fisher-z interval. */
export type Pearson = Outcome<{ r: number; t_statistic: number | null; df: number; p_value: number; ci: Interval | null; significant: boolean }>;

/** Spearman rank correlation; `p_method` says whether the p-value is exact. */
export type Spearman = Outcome<{
  rho: number;
  p_value: number;
  p_method: 'exact_permutation' | 't_approximation';
  t_statistic: number | null;
  df: number;
  significant: boolean;
}>;

/** One changepoint: the first index of the new segment and what changed. */
export interface Changepoint {
  index: number;
  kind: 'mean_shift' | 'variance_change' | 'mean_and_variance' | 'unconfirmed';
  mean_before: number;
  mean_after: number;
  sd_before: number;
  sd_after: number;
  mean_p_value: number | null;
  variance_p_value: number | null;
}

/** Changepoints and the segments they delimit (segment `end` is inclusive). */
export type Changepoints = Outcome<{
  cost: string;
  penalty: { name: string; value: number };
  min_segment_length: number;
  changepoints: Changepoint[];
  segments: Array<{ start: number; end: number; n: number; mean: number; sd: number }>;
}>;

/** One fitted exponential smoothing model with its information criteria. */
export type EtsModelFit = Outcome<{
  model: EtsModelName;
  /** ETS taxonomy name, e.g. ETS(A,A,N). */
  ets: string;
  parameters: { alpha: number; beta: number | null; phi: number | null; initial_level: number; initial_trend: number | null };
  final_level: number;
  final_trend: number | null;
  sse: number;
  sigma: number;
  /** Estimated parameters counted by the information criteria, including σ². */
  k: number;
  log_likelihood: number | null;
  aic: number | null;
  aicc: number | null;
  bic: number | null;
}>;

/** Chosen model, point forecasts and 95% prediction intervals, plus every candidate fit. */
export type Forecast = Outcome<{
  selected_model: EtsModelName;
  selection: string;
  horizon: number;
  level: number;
  points: Array<{ step: number; forecast: number; lower: number; upper: number }>;
  models: EtsModelFit[];
}>;

/** Robust (median/MAD) anomalies around Sen's line. */
export type Anomalies = Outcome<{
  sensitivity: number;
  threshold: number;
  baseline: { slope: number; intercept: number };
  scale: number;
  scale_method: 'mad' | 'mean_absolute_deviation' | 'none';
  count: number;
  truncated: boolean;
  anomalies: Array<{ index: number; value: number; expected: number; robust_z: number; direction: 'high' | 'low' }>;
}>;

/** One direction of a Granger test (predictive precedence). */
export type Granger = Outcome<{
  lag: number;
  max_lag: number;
  lag_selection: string;
  f_statistic: number | null;
  df1: number;
  df2: number;
  p_value: number;
  significant: boolean;
  interpretation: string;
}>;

/** Everything computed for one series; sections depend on the analysis type. */
export interface SeriesReport {
  name: string;
  n: number;
  descriptive?: Descriptive;
  trend?: { ols: Regression; mann_kendall: MannKendall; sen_slope: SenSlope };
  changepoints?: Changepoints;
  forecast?: Forecast;
  anomalies?: Anomalies;
}

/** The result of `advanced`, as `advanced_pattern_analysis` returns it. Sections appear according to `analysis_type`. */
export interface AdvancedAnalysisOutput {
  analysis_type: AnalysisType;
  config: { significance_level: number; forecast_horizon: number; anomaly_sensitivity: number; max_data_points: number };
  series: SeriesReport[];
  correlations?: Array<{ a: string; b: string; pearson: Pearson; spearman: Spearman }>;
  granger_causality?: Array<{ cause: string; effect: string; result: Granger }>;
  notes: string[];
}

/** Loads named series for a namespace from stored episodes (supplied by the patterns layer). */
export type LoadSeries = (namespace: string, source: SeriesSource) => Promise<Record<string, number[]>>;

/** Dependencies of the analysis service. */
export interface AnalysisServiceDeps {
  loadSeries: LoadSeries;
}

/** The analysis service behind `advanced_pattern_analysis`. */
export interface AnalysisService {
  /**
   * Runs the requested analysis on the caller's series and/or series derived from `source`.
   * Throws `CairnError('INVALID_INPUT')` naming the field when the input is unusable.
   */
  /** `options.progress` hears of each finished part (a series, correlations, Granger tests); the work yields between parts. */
  advanced(
    namespace: string,
    request: AnalysisRequest,
    options?: { progress?: (done: number, total?: number, message?: string) => void },
  ): Promise<AdvancedAnalysisOutput>;
}
