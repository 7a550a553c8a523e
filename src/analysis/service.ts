import { CairnError } from '../errors.js';
import { mannKendall } from './mann-kendall.js';
import { correlations, grangerAll, jsonSafe, sectionsFor, seriesReport } from './report.js';
import { type AdvancedAnalysisOutput, type AnalysisService, type AnalysisServiceDeps, LIMITS } from './types.js';
import { checkSeries, formatPath, validateRequest } from './validate.js';

/**
 * The analysis service behind `advanced_pattern_analysis`. Series come from the caller
 * (`time_series_data`), from stored episodes through `deps.loadSeries` (`source`), or both.
 * Pure computation apart from that one load; the output is plain JSON.
 */
export function createAnalysisService(deps: AnalysisServiceDeps): AnalysisService {
  if (typeof deps?.loadSeries !== 'function') throw new CairnError('CONFIG_INVALID', 'createAnalysisService needs deps.loadSeries(namespace, source).');

  return {
    async advanced(namespace, request, options = {}): Promise<AdvancedAnalysisOutput> {
      const { analysisType, data, source, config } = validateRequest(request);
      const notes: string[] = [];
      const series = new Map(data);
      if (source) {
        const loaded = Object.entries(await deps.loadSeries(namespace, source));
        const loadedNames = loaded.map(([name]) => name);
        const scope = [source.taskType && `task_type ${source.taskType}`, source.domain && `domain ${source.domain}`].filter(Boolean).join(', ');
        if (loaded.length === 0)
          notes.push(`No stored episodes matched source (${source.metric} per ${source.bucket}${scope ? `, ${scope}` : ''}); nothing was derived.`);
        for (const [name, values] of loaded) {
          if (series.has(name)) {
            throw new CairnError('INVALID_INPUT', `${formatPath(['time_series_data', name])} has the same name as the series derived from source; rename it.`);
          }
          checkSeries(`source (derived series "${name}")`, values, config);
          series.set(name, values);
        }
        const total = [...series.values()].reduce((n, v) => n + v.length, 0);
        if (total > LIMITS.maxTotalPoints) {
          throw new CairnError(
            'INVALID_INPUT',
            `time_series_data and the series derived from source hold ${total} points in all; at most ${LIMITS.maxTotalPoints} are accepted per call (shorten time_series_data or narrow source).`,
          );
        }
        if (loaded.length > 0)
          notes.push(`Derived from stored episodes: ${loadedNames.join(', ')} (${source.metric} per ${source.bucket}${scope ? `, ${scope}` : ''}).`);
      }
      const names = [...series.keys()];
      const sections = sectionsFor(analysisType);
      // Each part is reported, and the event loop gets a turn between parts, so a large call keeps
      // the client informed and the server answering.
      const parts = series.size + (sections.statistical ? 1 : 0) + (sections.causal ? 1 : 0);
      let done = 0;
      const finished = async (what: string) => {
        options.progress?.(++done, parts, what);
        if (done < parts) await new Promise<void>((resolve) => setImmediate(resolve));
      };
      const reports: AdvancedAnalysisOutput['series'] = [];
      for (const [name, values] of series) {
        reports.push(seriesReport(name, values, sections, config));
        await finished(`series "${name}" analysed`);
      }
      const output: AdvancedAnalysisOutput = {
        analysis_type: analysisType,
        config: {
          significance_level: config.significanceLevel,
          forecast_horizon: config.forecastHorizon,
          anomaly_sensitivity: config.anomalySensitivity,
          max_data_points: config.maxDataPoints,
        },
        series: reports,
        notes,
      };
      const lengths = new Set([...series.values()].map((v) => v.length));
      const pairwise = sections.statistical || sections.causal;
      if (pairwise && names.length < 2) notes.push('Correlations and Granger tests compare series: give at least two.');
      if (pairwise && names.length >= 2 && lengths.size > 1)
        notes.push("Series differ in length: pairwise methods use each pair's first min(n) points, paired by index.");
      if (sections.statistical) {
        output.correlations = correlations(series, config);
        await finished('correlations computed');
      }
      if (sections.causal) {
        output.granger_causality = grangerAll(series, config);
        notes.push(...trendWarnings(series, config.significanceLevel));
        await finished('Granger tests computed');
      }
      const repaired: string[] = [];
      const safe = jsonSafe({ ...output, notes: [] }, repaired);
      return { ...safe, notes: [...notes, ...repaired] };
    },
  };
}

/** Granger tests assume stationarity: name the series with a significant monotonic trend. */
function trendWarnings(series: ReadonlyMap<string, number[]>, alpha: number): string[] {
  const out: string[] = [];
  for (const [name, values] of series) {
    const mk = mannKendall(values, alpha);
    if (!mk.insufficient_data && mk.significant) {
      out.push(
        `Series "${name}" has a significant monotonic trend (Mann–Kendall p = ${mk.p_value.toPrecision(3)}); Granger tests assume stationarity, so consider differencing it first.`,
      );
    }
  }
  return out;
}
