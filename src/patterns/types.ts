/** Vocabulary of pattern learning. A leaf: storage and services import it, it imports nothing. */

/** What a pattern describes. */
export const PATTERN_KINDS = ['tool_sequence', 'error_recovery', 'decision_point', 'context_pattern', 'heuristic'] as const;
/** One of `PATTERN_KINDS`. */
export type PatternKind = (typeof PATTERN_KINDS)[number];

/** The episode context a pattern was seen in. */
export interface PatternContext {
  taskType: string;
  domain: string;
  language: string | null;
  tags: string[];
}

/**
 * One pattern as an extractor finds it in one episode, before it meets the store. Every
 * candidate counts once per episode: `success` is that episode's evidence for it.
 */
export interface PatternCandidate {
  kind: PatternKind;
  /** Canonical key: kind, task type, domain, language and normalised content. Equal keys are one pattern. */
  key: string;
  /** The content part of the key without context, used to find near-duplicates across contexts. */
  matchKey: string;
  /** One readable line, also the searchable text. */
  description: string;
  /** Content as a token list, compared by edit distance for near-duplicates. */
  tokens: string[];
  /** Kind-specific fields (tools, error type, condition and action, …). */
  data: Record<string, unknown>;
  context: PatternContext;
  /** Whether this occurrence counts as a success (see each extractor for what that means). */
  success: boolean;
  /** Latency this occurrence took, ms, when the steps recorded it. */
  latencyMs: number | null;
}

/** A stored pattern with its statistics (`wilson` is the 95% Wilson lower bound of its success rate). */
export interface PatternRecord {
  id: string;
  namespace: string;
  kind: string;
  key: string;
  matchKey: string;
  description: string;
  tokens: string[];
  data: Record<string, unknown>;
  taskType: string;
  domain: string;
  language: string | null;
  tags: string[];
  occurrences: number;
  successes: number;
  latencyTotal: number;
  latencyCount: number;
  wilson: number;
  episodeIds: string[];
  firstSeen: number;
  lastSeen: number;
  /** The pattern this one was merged into (its key then redirects there); null while live. */
  mergedInto: string | null;
}

/** The fields key resolution reads. */
export type PatternHead = Pick<PatternRecord, 'id' | 'key' | 'kind' | 'description' | 'occurrences' | 'successes' | 'mergedInto'>;

/** The fields near-duplicate comparison reads. */
export type MergeCandidate = Pick<
  PatternRecord,
  'id' | 'kind' | 'taskType' | 'domain' | 'language' | 'tags' | 'tokens' | 'episodeIds' | 'occurrences' | 'firstSeen' | 'mergedInto'
>;

/** One episode's evidence for one pattern: inserted as a new pattern or added to the existing one. */
export interface PatternWrite {
  /** Id used when the pattern is new. */
  id: string;
  kind: string;
  key: string;
  matchKey: string;
  description: string;
  tokens: string[];
  data: Record<string, unknown>;
  taskType: string;
  domain: string;
  language: string | null;
  tags: string[];
  success: boolean;
  latencyMs: number | null;
  episodeId: string;
  at: number;
}

/** A pattern after a write. `inserted` is true when the write created it (its one occurrence is this write). */
export interface UpsertedRow {
  key: string;
  id: string;
  occurrences: number;
  successes: number;
  inserted: boolean;
}

/** A durable unit of pattern work: a deferred extraction (`extract`) or a near-duplicate merge (`merge`). */
export interface PatternJob {
  id: string;
  namespace: string;
  episodeId: string;
  kind: 'extract' | 'merge';
  payload: Record<string, unknown>;
  createdAt: number;
  attempts: number;
}

/** One near-duplicate merge: `sourceId`'s statistics move into `targetId`, and its key then redirects there. */
export interface MergeOp {
  sourceId: string;
  targetId: string;
}

/**
 * What one episode's completion writes about patterns, as plain data. The storage layer persists
 * it inside the completion's transaction: the writes and `jobs` (plus `merge`) together, or — when
 * the writes fail for a reason other than contention — only `fallback`, so the completion still
 * commits and the work is retried in the background.
 */
export interface PatternPlan {
  namespace: string;
  /** Evidence to insert or reinforce; may be empty. */
  writes: PatternWrite[];
  /** Jobs queued with the writes (e.g. a background extraction of a long episode's remaining candidates). */
  jobs: PatternJob[];
  /**
   * A merge job queued when the writes create new patterns of one of `kinds`; its payload gets
   * their ids as `pattern_ids`. Null when no kind is mergeable.
   */
  merge: { job: PatternJob; kinds: readonly string[] } | null;
  /** Queued instead of everything above when the writes fail; null to let the failure propagate. */
  fallback: PatternJob | null;
}

/** What persisting a `PatternPlan` wrote. */
export interface PatternPlanResult {
  /** The patterns written, under the key each write asked for (empty when the plan fell back). */
  rows: UpsertedRow[];
  /** Ids of the jobs queued. */
  jobIds: string[];
  /** Why the writes were replaced by the fallback job, when they were. */
  fellBack: string | null;
}

/** Filters of `analyze`. */
export interface PatternQuery {
  taskType?: string;
  domain?: string;
  kind?: PatternKind;
  /** Minimum success rate, 0..1. Default 0.7. */
  minSuccessRate?: number;
  /** Minimum occurrences (episodes). Default 2. */
  minSupport?: number;
  /** Maximum patterns returned, 1..1000. Default 20. */
  limit?: number;
}

/** A pattern as `analyze_patterns` and search return it. */
export interface PatternView {
  id: string;
  kind: PatternKind;
  description: string;
  task_type: string;
  domain: string;
  language: string | null;
  tags: string[];
  details: Record<string, unknown>;
  occurrences: number;
  successes: number;
  success_rate: number;
  wilson_lower_bound: number;
  mean_latency_ms: number | null;
  first_seen: string;
  last_seen: string;
  episode_ids: string[];
}

/** Statistics computed from the returned patterns (never from the filter values). */
export interface PatternStatistics {
  /** Patterns returned. */
  total: number;
  /** Patterns matching the filters before `limit` was applied. */
  matched: number;
  mean_success_rate: number | null;
  median_success_rate: number | null;
  /** Occurrence-weighted success rate: total successes ÷ total occurrences. */
  pooled_success_rate: number | null;
  by_kind: Record<PatternKind, number>;
  /** The five tools appearing in the most returned patterns, with how many patterns name them. */
  top_tools: Array<{ tool: string; patterns: number; occurrences: number }>;
}

/** What `analyze` returns. */
export interface PatternAnalysis {
  patterns: PatternView[];
  statistics: PatternStatistics;
  ranking: string;
  /** Patterns that pass every other filter but were seen in fewer episodes than the minimum support. */
  hiddenByMinSupport: number;
}

/** Filters a pattern search honours (from `query_memory`). */
export interface PatternSearchFilters {
  taskType?: string;
  domain?: string;
  tags?: string[];
  since?: number;
  until?: number;
}
