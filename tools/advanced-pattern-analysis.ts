import { z } from 'zod';
import { ANALYSIS_TYPES } from '../src/analysis/types.js';
import { defineTool } from './define-tool.js';
import { advancedAnalysisInputSchema, parseAnalysisInput } from './schemas/analysis.js';
import { summarizeAnalysis } from './schemas/analysis-summary.js';
import { anyObject } from './schemas/common.js';

export const advancedPatternAnalysis = defineTool({
  name: 'advanced_pattern_analysis',
  title: 'Analyze time series',
  toolset: 'patterns',
  description:
    'Statistics on time series given or derived from stored episodes (source): trends, correlations, changepoints (statistical), forecasts, ' +
    'anomalies (predictive), Granger tests (causal), or all. Replies summarise; detail: "full" gives every number.',
  input: advancedAnalysisInputSchema.extend({
    detail: z.enum(['summary', 'full']).optional(),
  }),
  output: z.object({
    analysis_type: z.enum(ANALYSIS_TYPES),
    detail: z.enum(['summary', 'full']),
    config: anyObject,
    findings: z.array(z.string()).optional().describe('Significant results in words (summary).'),
    series: z.array(z.looseObject({ name: z.string(), n: z.number() })),
    correlations: z.array(anyObject).optional(),
    granger_causality: z.array(anyObject).optional(),
    notes: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const { detail, ...request } = input;
    const report = await ctx.services.analysis.advanced(ctx.namespace, parseAnalysisInput(request), ctx.progress ? { progress: ctx.progress } : {});
    return detail === 'full' ? { ...report, detail: 'full' as const, series: report.series.map((r) => ({ ...r })) } : summarizeAnalysis(report);
  },
  reply: {
    // The full report first sheds what repeats per series (candidate models, assumptions), then long lists, then whole series.
    shrink: [
      { list: 'series.*.forecast.models', min: 1 },
      { list: 'series.*.*.assumptions', min: 0 },
      { list: 'series.*.trend.*.assumptions', min: 0 },
      { list: 'series.*.forecast.models.*.assumptions', min: 0 },
      { list: 'correlations.*.*.assumptions', min: 0 },
      { list: 'granger_causality.*.result.assumptions', min: 0 },
      { list: 'series.*.anomalies.anomalies', min: 5 },
      { list: 'series.*.changepoints.segments', min: 5 },
      { list: 'series.*.changepoints.changepoints', min: 5 },
      { list: 'granger_causality', min: 5 },
      { list: 'correlations', min: 5 },
      { list: 'series.*.forecast.points', min: 10 },
      { list: 'findings', min: 10 },
      // The summary's per-series lists, before any series is left out.
      { list: 'series.*.changepoints.first', min: 1 },
      { list: 'series.*.anomalies.top', min: 1 },
      { list: 'series.*.forecast.points', min: 1 },
      { list: 'series.*.insufficient_data', min: 0 },
      { list: 'series', min: 1 },
    ],
    hint: 'fewer series per call, a lower forecast_horizon, or the summary (no detail)',
  },
});
