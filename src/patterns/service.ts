import type { Clock } from '../clock.js';
import type { CompletionHook } from '../episodes/service.js';
import type { EpisodeWithSteps } from '../episodes/types.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { type SearchHit, toFtsMatch } from '../search/index.js';
import type { PatternRepo } from '../storage/pattern-repo.js';
import { createCompletionHook } from './hook.js';
import { createJobRunner } from './jobs.js';
import { canonicalKey } from './keys.js';
import { patternStatistics, toView } from './stats.js';
import { PATTERN_KINDS, type PatternAnalysis, type PatternQuery, type PatternRecord, type PatternSearchFilters, type PatternView } from './types.js';

/** Pattern learning: extraction on completion, incremental statistics, near-duplicate merging, queries. */
export interface PatternService {
  /** Registered with the episode service; extraction runs before the completion and its plan commits with it. */
  readonly hook: CompletionHook;
  analyze(ns: string, q: PatternQuery): Promise<PatternAnalysis>;
  /** Full-text search over live patterns, best first; any search engine may call it. */
  searchPatterns(ns: string, query: string, filters: PatternSearchFilters, limit: number): Promise<SearchHit[]>;
  /**
   * Finishes every durable pending job (deferred extraction, near-duplicate merging) visible in
   * the store, in every namespace. Called at start-up and after each completion.
   */
  recoverPending(): Promise<{ processed: number; failed: number }>;
  /** Resolves once the background work scheduled so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Pending jobs, for health reports. */
  pendingJobs(): Promise<number>;
  /** Stops scheduling background work and waits for the current run. */
  close(): Promise<void>;
}

/** Defaults of `analyze`: minimum success rate 0.7, minimum support 2 episodes, 20 patterns. */
export const ANALYZE_DEFAULTS = { minSuccessRate: 0.7, minSupport: 2, limit: 20 } as const;

/** Dependencies of the pattern service. */
export interface PatternServiceDeps {
  repo: PatternRepo;
  /** Reads a stored episode (deferred extraction jobs). */
  loadEpisode(ns: string, id: string): Promise<EpisodeWithSteps | null>;
  clock: Clock;
  logger: Logger;
}

/** Creates the pattern service. Register `hook` with the episode service and call `recoverPending()` at start-up. */
export function createPatternService(deps: PatternServiceDeps): PatternService {
  const { repo } = deps;
  const runner = createJobRunner(deps);
  const hook = createCompletionHook({ repo, runner, clock: deps.clock, logger: deps.logger });

  /** Heuristics carry their evidence, with the success rate of their context as the baseline. */
  async function withEvidence(ns: string, rows: PatternRecord[]): Promise<PatternView[]> {
    const heuristics = rows.filter((r) => r.kind === 'heuristic');
    const ctxKey = (r: PatternRecord) => canonicalKey('context_pattern', { taskType: r.taskType, domain: r.domain, language: r.language, tags: [] }, []);
    const contexts = heuristics.length ? await repo.byKeys(ns, [...new Set(heuristics.map(ctxKey))]) : [];
    const baseline = new Map(contexts.map((c) => [c.key, c]));
    return rows.map((r) => {
      if (r.kind !== 'heuristic') return toView(r);
      const rate = r.successes / r.occurrences;
      const base = baseline.get(ctxKey(r));
      const baseRate = base && base.occurrences > 0 ? base.successes / base.occurrences : null;
      return toView(r, {
        confidence: rate,
        evidence: {
          episode_ids: [...r.episodeIds].sort(),
          sample_size: r.occurrences,
          success_rate: rate,
          baseline_success_rate: baseRate,
          baseline_sample_size: base?.occurrences ?? 0,
          lift: baseRate === null ? null : rate - baseRate,
        },
      });
    });
  }

  return {
    hook,

    async analyze(ns, q) {
      const minSuccessRate = q.minSuccessRate ?? ANALYZE_DEFAULTS.minSuccessRate;
      const minSupport = q.minSupport ?? ANALYZE_DEFAULTS.minSupport;
      const limit = q.limit ?? ANALYZE_DEFAULTS.limit;
      if (!(minSuccessRate >= 0 && minSuccessRate <= 1)) throw new CairnError('INVALID_INPUT', `min_success_rate: ${minSuccessRate} is outside 0..1`);
      if (!Number.isInteger(minSupport) || minSupport < 1) throw new CairnError('INVALID_INPUT', `min_support: ${minSupport} must be an integer ≥ 1`);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CairnError('INVALID_INPUT', `limit: ${limit} must be an integer in 1..1000`);
      if (q.kind !== undefined && !PATTERN_KINDS.includes(q.kind))
        throw new CairnError('INVALID_INPUT', `kind: ${q.kind} is not one of ${PATTERN_KINDS.join(', ')}`);
      const { rows, matched, belowSupport } = await repo.list(
        ns,
        {
          minSuccessRate,
          minSupport,
          ...(q.kind !== undefined ? { kind: q.kind } : {}),
          ...(q.taskType !== undefined ? { taskType: q.taskType } : {}),
          ...(q.domain !== undefined ? { domain: q.domain } : {}),
        },
        limit,
      );
      const patterns = await withEvidence(ns, rows);
      return {
        patterns,
        statistics: patternStatistics(patterns, matched),
        ranking: 'Wilson score lower bound (95%) of the success rate, then occurrences, then most recently seen',
        hiddenByMinSupport: belowSupport,
      };
    },

    async searchPatterns(ns, query, filters, limit) {
      const match = toFtsMatch(query);
      if (!match) return [];
      const rows = await repo.search(ns, match, filters, limit);
      const best = Math.min(...rows.map((r) => r.bm25), -1e-9);
      return rows.map((r): SearchHit => {
        const v = toView(r);
        const relevance = r.bm25 / best;
        return {
          type: 'pattern',
          id: r.id,
          // Text relevance decides; the Wilson bound breaks near-ties in favour of proven patterns.
          score: relevance * (0.75 + 0.25 * r.wilson),
          text: r.description,
          tags: r.tags,
          metadata: {
            language: v.language,
            occurrences: v.occurrences,
            successes: v.successes,
            success_rate: v.success_rate,
            wilson_lower_bound: v.wilson_lower_bound,
            mean_latency_ms: v.mean_latency_ms,
            details: v.details,
            episode_ids: v.episode_ids,
            first_seen: v.first_seen,
          },
          occurredAt: r.lastSeen,
          kind: r.kind,
          taskType: r.taskType,
          domain: r.domain,
          parts: { bm25: -r.bm25, relevance, wilson: r.wilson },
        };
      });
    },

    recoverPending: () => runner.runAll(),
    idle: () => runner.idle(),
    pendingJobs: () => repo.countJobs(),
    close: () => runner.close(),
  };
}
