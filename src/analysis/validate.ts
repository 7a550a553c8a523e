import type { z } from 'zod';
import { CairnError } from '../errors.js';
import { LIMITS, advancedAnalysisInputSchema, analysisConfigSchema } from '../../tools/schemas/analysis.js';
import type { AdvancedAnalysisInput, AnalysisConfig, SeriesSource } from './types.js';

/** Largest accepted |value|: keeps sums of squares of 100,000 points finite. */
export const MAX_MAGNITUDE = 1e100;

/** Input after validation, with defaults applied. */
export interface ValidatedInput {
  analysisType: z.output<typeof advancedAnalysisInputSchema>['analysis_type'];
  data: Record<string, number[]>;
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

function issueText(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path);
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    const received = (issue as { received?: unknown }).received;
    return `${at} must be a finite number${received === undefined ? '' : ` (got ${String(received)})`}`;
  }
  return `${at}: ${issue.message}`;
}

/**
 * Validates the raw input of `advanced_pattern_analysis` and applies defaults. Throws
 * `CairnError('INVALID_INPUT')` whose message names the offending field and what is accepted.
 */
export function validateInput(input: AdvancedAnalysisInput): ValidatedInput {
  const parsed = advancedAnalysisInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues.slice(0, 3).map(issueText).join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    throw new CairnError('INVALID_INPUT', `Invalid advanced_pattern_analysis input: ${shown}${more}.`, { details: { issues: issues.slice(0, 10) } });
  }
  const { analysis_type: analysisType, time_series_data: data, source } = parsed.data;
  const config = analysisConfigSchema.parse(parsed.data.config ?? {});
  if (data === undefined && source === undefined) {
    throw new CairnError('INVALID_INPUT', 'Provide time_series_data ({name: number[]}) or source ({metric, task_type?, domain?, bucket?}); neither was given.');
  }
  const names = Object.keys(data ?? {});
  if (names.length > LIMITS.maxSeries) {
    throw new CairnError('INVALID_INPUT', `time_series_data has ${names.length} series; at most ${LIMITS.maxSeries} are accepted per call.`);
  }
  if (data !== undefined && names.length === 0 && source === undefined) {
    throw new CairnError('INVALID_INPUT', 'time_series_data is empty; give at least one named series (or a source).');
  }
  for (const name of names) checkSeries(formatPath(['time_series_data', name]), data?.[name] ?? [], config);
  return { analysisType, data: data ?? {}, ...(source ? { source } : {}), config };
}

/** Rejects non-finite values and series longer than `config.max_data_points`; `field` names the series. */
export function checkSeries(field: string, values: readonly number[], config: AnalysisConfig): void {
  if (values.length > config.max_data_points) {
    throw new CairnError(
      'INVALID_INPUT',
      `${field} has ${values.length} points, more than config.max_data_points = ${config.max_data_points}; shorten it or raise max_data_points (up to ${LIMITS.maxDataPointsCap}).`,
    );
  }
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new CairnError('INVALID_INPUT', `${field}[${bad}] must be a finite number (got ${String(values[bad])}).`);
  // Squares and sums of larger values overflow double precision.
  const huge = values.findIndex((v) => Math.abs(v) > MAX_MAGNITUDE);
  if (huge >= 0) throw new CairnError('INVALID_INPUT', `${field}[${huge}] is ${values[huge]}; values must lie within ±${MAX_MAGNITUDE} (rescale the series).`);
}
