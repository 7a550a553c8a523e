/**
 * The default reply of `advanced_pattern_analysis`: per series the key statistics, the trend, at
 * most a few changepoints and anomalies (with their counts) and the forecast points; the
 * significant findings in words; correlations and Granger tests that passed the significance
 * level (with counts). `detail: "full"` returns the whole report instead.
 */
import type { AdvancedAnalysisOutput, InsufficientData, Outcome, SeriesReport } from '../../src/analysis/types.js';

/** Changepoints, anomalies, correlations and Granger tests listed per kind in a summary; the rest are counted. */
export const SUMMARY_ITEMS = 5;

/** Rounds to 4 significant digits: a summary is read, not recomputed. */
const r4 = (x: number | null): number | null => (x === null ? null : Number(x.toPrecision(4)));
const ok = <T extends object>(o: Outcome<T> | undefined): Exclude<Outcome<T>, InsufficientData> | undefined =>
  o && !o.insufficient_data ? (o as Exclude<Outcome<T>, InsufficientData>) : undefined;
const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${r4(p)}`);

/** One series in a summary. */
function seriesSummary(s: SeriesReport, findings: string[]) {
  const d = ok(s.descriptive);
  const ols = ok(s.trend?.ols);
  const mk = ok(s.trend?.mann_kendall);
  const sen = ok(s.trend?.sen_slope);
  const cp = ok(s.changepoints);
  const an = ok(s.anomalies);
  const fc = ok(s.forecast);
  const insufficient = [s.descriptive, s.trend?.ols, s.changepoints, s.forecast, s.anomalies]
    .filter((o): o is InsufficientData => o?.insufficient_data === true)
    .map((o) => o.message);

  if (mk?.significant) findings.push(`${s.name}: ${mk.trend} trend (Mann–Kendall ${pText(mk.p_value)}${sen ? `, Sen slope ${r4(sen.slope)} per step` : ''})`);
  else if (ols?.significant) findings.push(`${s.name}: ${ols.direction} trend (OLS ${pText(ols.p_value)}, slope ${r4(ols.slope)} per step)`);
  const confirmed = cp?.changepoints.filter((c) => c.kind !== 'unconfirmed') ?? [];
  if (confirmed.length) {
    const c = confirmed[0]!;
    findings.push(
      `${s.name}: ${confirmed.length} changepoint${confirmed.length > 1 ? 's' : ''} (first at ${c.index}: mean ${r4(c.mean_before)} → ${r4(c.mean_after)})`,
    );
  }
  const byZ = an ? [...an.anomalies].sort((a, b) => Math.abs(b.robust_z) - Math.abs(a.robust_z)) : [];
  if (an && an.count > 0)
    findings.push(`${s.name}: ${an.count} anomal${an.count > 1 ? 'ies' : 'y'} (largest at ${byZ[0]!.index}, robust z ${r4(byZ[0]!.robust_z)})`);

  return {
    name: s.name,
    n: s.n,
    ...(d ? { stats: { mean: r4(d.mean), median: r4(d.median), std_dev: r4(d.std_dev), min: r4(d.min), max: r4(d.max) } } : {}),
    ...(ols || mk
      ? {
          trend: {
            direction: mk?.significant ? mk.trend : ols?.significant ? ols.direction : 'none',
            ...(ols ? { ols_slope: r4(ols.slope), ols_p: r4(ols.p_value) } : {}),
            ...(mk ? { mann_kendall_p: r4(mk.p_value) } : {}),
            ...(sen ? { sen_slope: r4(sen.slope) } : {}),
          },
        }
      : {}),
    ...(cp
      ? {
          changepoints: {
            count: cp.changepoints.length,
            first: cp.changepoints
              .slice(0, SUMMARY_ITEMS)
              .map((c) => ({ index: c.index, kind: c.kind, mean_before: r4(c.mean_before), mean_after: r4(c.mean_after) })),
          },
        }
      : {}),
    ...(an
      ? { anomalies: { count: an.count, top: byZ.slice(0, SUMMARY_ITEMS).map((a) => ({ index: a.index, value: r4(a.value), robust_z: r4(a.robust_z) })) } }
      : {}),
    ...(fc
      ? {
          forecast: {
            model: fc.selected_model,
            level: fc.level,
            points: fc.points.map((p) => ({ step: p.step, forecast: r4(p.forecast), lower: r4(p.lower), upper: r4(p.upper) })),
          },
        }
      : {}),
    ...(insufficient.length ? { insufficient_data: insufficient } : {}),
  };
}

/** The summary of a full report. */
export function summarizeAnalysis(report: AdvancedAnalysisOutput) {
  const findings: string[] = [];
  const series = report.series.map((s) => seriesSummary(s, findings));
  const correlations = (report.correlations ?? [])
    .map((c) => ({ a: c.a, b: c.b, pearson: ok(c.pearson), spearman: ok(c.spearman) }))
    .filter((c) => c.pearson?.significant || c.spearman?.significant)
    .sort((x, y) => Math.abs(y.pearson?.r ?? 0) - Math.abs(x.pearson?.r ?? 0));
  for (const c of correlations.slice(0, SUMMARY_ITEMS)) {
    findings.push(
      `${c.a} ~ ${c.b}: ${c.pearson ? `Pearson r = ${r4(c.pearson.r)} (${pText(c.pearson.p_value)})` : ''}${c.pearson && c.spearman ? ', ' : ''}${c.spearman ? `Spearman ρ = ${r4(c.spearman.rho)}` : ''}`,
    );
  }
  const granger = (report.granger_causality ?? [])
    .map((g) => ({ cause: g.cause, effect: g.effect, result: ok(g.result) }))
    .filter((g) => g.result?.significant)
    .sort((x, y) => x.result!.p_value - y.result!.p_value);
  for (const g of granger.slice(0, SUMMARY_ITEMS))
    findings.push(`${g.cause} precedes ${g.effect} (Granger ${pText(g.result!.p_value)}, lag ${g.result!.lag}; precedence, not proof of cause)`);

  return {
    analysis_type: report.analysis_type,
    detail: 'summary' as const,
    config: report.config,
    findings,
    series,
    ...(report.correlations
      ? {
          correlations: correlations
            .slice(0, SUMMARY_ITEMS)
            .map((c) => ({ a: c.a, b: c.b, r: r4(c.pearson?.r ?? null), p: r4(c.pearson?.p_value ?? null), rho: r4(c.spearman?.rho ?? null) })),
          correlation_counts: { tested: report.correlations.length, significant: correlations.length },
        }
      : {}),
    ...(report.granger_causality
      ? {
          granger_causality: granger.slice(0, SUMMARY_ITEMS).map((g) => ({ cause: g.cause, effect: g.effect, p: r4(g.result!.p_value), lag: g.result!.lag })),
          granger_counts: { tested: report.granger_causality.length, significant: granger.length },
        }
      : {}),
    notes: report.notes,
  };
}
