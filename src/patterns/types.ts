import type { CompletionHook } from '../episodes/types.js';
import type { SearchHit } from '../memory/types.js';
import type { PATTERN_KINDS } from '../storage/pattern-records.js';

/** What a pattern describes (the list lives with the stored records, whose readers check it). */
export { PATTERN_KINDS } from '../storage/pattern-records.js';
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
export type { PatternRecord as Pattern } from '../storage/pattern-repo.js';

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
}

/** Filters a pattern search honours (from `query_memory`). */
export interface PatternSearchFilters {
  taskType?: string;
  domain?: string;
  tags?: string[];
  since?: number;
  until?: number;
}

/** Pattern learning: extraction on completion, incremental statistics, near-duplicate merging, queries. */
export interface PatternService {
  /** Registered with the episode service; extraction and upserts run inside the completion. */
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
