import { mean, median } from 'simple-statistics';
import { PATTERN_KINDS, type PatternKind, type PatternRecord, type PatternStatistics, type PatternView } from './types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A stored pattern as clients see it: rates and bounds computed from its counts. */
export function toView(r: PatternRecord, extraDetails: Record<string, unknown> = {}): PatternView {
  return {
    id: r.id,
    kind: r.kind as PatternKind,
    description: r.description,
    task_type: r.taskType,
    domain: r.domain,
    language: r.language,
    tags: r.tags,
    details: { ...r.data, ...extraDetails },
    occurrences: r.occurrences,
    successes: r.successes,
    success_rate: r.occurrences === 0 ? 0 : r.successes / r.occurrences,
    wilson_lower_bound: r.wilson,
    mean_latency_ms: r.latencyCount === 0 ? null : r.latencyTotal / r.latencyCount,
    first_seen: iso(r.firstSeen),
    last_seen: iso(r.lastSeen),
    episode_ids: [...r.episodeIds].sort(),
  };
}

/** Tools a pattern names (its sequence, the failed and recovery tools, or a heuristic's tool), each once. */
export function toolsOf(v: Pick<PatternView, 'details'>): string[] {
  const d = v.details;
  const tools: unknown[] = [];
  if (Array.isArray(d.tools)) tools.push(...d.tools);
  tools.push(d.failed_tool, d.recovery_tool, d.tool);
  return [...new Set(tools.filter((t): t is string => typeof t === 'string' && t.length > 0))];
}

/**
 * Statistics of the returned patterns, computed from their counts: how many, mean and median of
 * their success rates, the pooled rate (successes ÷ occurrences), counts per kind, and the five
 * tools named by the most patterns (ties: more occurrences, then name). Rates are null when no
 * pattern was returned.
 */
export function patternStatistics(views: readonly PatternView[], matched: number): PatternStatistics {
  const rates = views.map((v) => v.success_rate);
  const occurrences = views.reduce((n, v) => n + v.occurrences, 0);
  const successes = views.reduce((n, v) => n + v.successes, 0);
  const byKind = Object.fromEntries(PATTERN_KINDS.map((k) => [k, 0])) as Record<PatternKind, number>;
  for (const v of views) byKind[v.kind]++;
  const tools = new Map<string, { patterns: number; occurrences: number }>();
  for (const v of views) {
    for (const t of toolsOf(v)) {
      const e = tools.get(t) ?? { patterns: 0, occurrences: 0 };
      e.patterns++;
      e.occurrences += v.occurrences;
      tools.set(t, e);
    }
  }
  const top = [...tools.entries()]
    .sort(([a, x], [b, y]) => y.patterns - x.patterns || y.occurrences - x.occurrences || a.localeCompare(b))
    .slice(0, 5)
    .map(([tool, e]) => ({ tool, patterns: e.patterns, occurrences: e.occurrences }));
  return {
    total: views.length,
    matched,
    mean_success_rate: rates.length ? mean(rates) : null,
    median_success_rate: rates.length ? median(rates) : null,
    pooled_success_rate: occurrences === 0 ? null : successes / occurrences,
    by_kind: byKind,
    top_tools: top,
  };
}
