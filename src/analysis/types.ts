import type { z } from 'zod';
import type {
  advancedAnalysisInputSchema,
  advancedAnalysisOutputSchema,
  analysisConfigSchema,
  anomaliesSchema,
  changepointsSchema,
  descriptiveSchema,
  etsModelSchema,
  forecastSchema,
  grangerSchema,
  mannKendallSchema,
  pearsonSchema,
  regressionSchema,
  senSlopeSchema,
  seriesReportSchema,
  seriesSourceSchema,
  spearmanSchema,
} from '../../tools/schemas/analysis.js';

/** Where a series is derived from stored episodes (parsed: `bucket` is always set). */
export type SeriesSource = z.output<typeof seriesSourceSchema>;
/** Analysis options with defaults applied. */
export type AnalysisConfig = z.output<typeof analysisConfigSchema>;
/** What a caller passes to `advanced` (defaults not yet applied). */
export type AdvancedAnalysisInput = z.input<typeof advancedAnalysisInputSchema>;
/** The JSON result of `advanced`. */
export type AdvancedAnalysisOutput = z.output<typeof advancedAnalysisOutputSchema>;
/** Per-series section of the output. */
export type SeriesReport = z.output<typeof seriesReportSchema>;

/** A method's "too little data" answer, given instead of numbers. */
export interface InsufficientData {
  insufficient_data: true;
  method: string;
  n: number;
  /** Points the method needs. */
  required: number;
  message: string;
}

/** The successful branch of an outcome union. */
export type Success<T> = Exclude<T, InsufficientData>;

/** Result types of the pure functions (each a success | insufficient-data union). */
export type Descriptive = z.output<typeof descriptiveSchema>;
export type Regression = z.output<typeof regressionSchema>;
export type MannKendall = z.output<typeof mannKendallSchema>;
export type SenSlope = z.output<typeof senSlopeSchema>;
export type Pearson = z.output<typeof pearsonSchema>;
export type Spearman = z.output<typeof spearmanSchema>;
export type Changepoints = z.output<typeof changepointsSchema>;
export type EtsModelFit = z.output<typeof etsModelSchema>;
export type Forecast = z.output<typeof forecastSchema>;
export type Anomalies = z.output<typeof anomaliesSchema>;
export type Granger = z.output<typeof grangerSchema>;

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
  advanced(namespace: string, input: AdvancedAnalysisInput): Promise<AdvancedAnalysisOutput>;
}
