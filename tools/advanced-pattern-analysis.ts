import { advancedAnalysisInputSchema, advancedAnalysisOutputSchema, parseAnalysisInput } from './schemas/analysis.js';
import { defineTool } from './define-tool.js';

export const advancedPatternAnalysis = defineTool({
  name: 'advanced_pattern_analysis',
  title: 'Analyze time series',
  toolset: 'patterns',
  description:
    'Statistics on time series — yours (time_series_data: {name: numbers, oldest first, equally spaced}) or derived from stored episodes ' +
    '(source: {metric: success_rate | reward | duration_ms | step_count, task_type?, domain?, bucket: day | week}; UTC buckets, ' +
    'buckets without completed episodes are left out; the series is named e.g. success_rate_per_day). ' +
    'analysis_type: statistical (descriptive stats, OLS trend with CI and p-value, Mann–Kendall, Sen slope, Pearson/Spearman correlations, changepoints), ' +
    'predictive (exponential smoothing chosen by AIC with 95% prediction intervals, robust anomalies), causal (Granger F-tests both ways — ' +
    'predictive precedence, not proof of cause) or comprehensive (all). Every result states its method, n and assumptions; too few points ' +
    'give a message instead of a number. Use it to ask "is my success rate improving?" or "does x lead y?".',
  input: advancedAnalysisInputSchema,
  output: advancedAnalysisOutputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (input, ctx) => ctx.services.analysis.advanced(ctx.namespace, parseAnalysisInput(input)),
});
