/** Plain records of the pattern tables. Storage attaches no meaning to them; src/patterns does. */

/** What a pattern describes. */
export const PATTERN_KINDS = ['tool_sequence', 'error_recovery', 'decision_point', 'context_pattern', 'heuristic'] as const;

/** A stored pattern, as the table holds it. */
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
  mergedInto: string | null;
}

/** One episode's evidence for one pattern: inserted as a new row or added to the existing one. */
export interface PatternWrite {
  /** Id used when the row is new. */
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

/** A row after an upsert. `inserted` is true when the write created it (its one occurrence is this write). */
export interface UpsertedRow {
  key: string;
  id: string;
  occurrences: number;
  successes: number;
  inserted: boolean;
}

/** A durable unit of pattern work. */
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

/** Filters for ranked listing (`analyze_patterns`). */
export interface PatternListFilter {
  kind?: string;
  taskType?: string;
  domain?: string;
  minSuccessRate: number;
  minSupport: number;
}

/** Filters for full-text search. */
export interface PatternSearchFilter {
  taskType?: string;
  domain?: string;
  tags?: string[];
  since?: number;
  until?: number;
}

/**
 * Where near-duplicates of a pattern can be: same kind and task type, and either equal content
 * (`matchKey`, any context) or, when `nearSizes` is given, the same domain, a size in that range
 * and the same first two or last two tokens.
 */
export interface CandidateBlock {
  kind: string;
  taskType: string;
  matchKey: string;
  domain: string;
  tokens: string[];
  nearSizes: { min: number; max: number } | null;
  excludeId: string;
}

/** The columns key resolution reads. */
export type PatternHead = Pick<PatternRecord, 'id' | 'key' | 'kind' | 'description' | 'occurrences' | 'successes' | 'mergedInto'>;

/** The columns near-duplicate comparison reads. */
export type MergeCandidate = Pick<
  PatternRecord,
  'id' | 'kind' | 'taskType' | 'domain' | 'language' | 'tags' | 'tokens' | 'episodeIds' | 'occurrences' | 'firstSeen' | 'mergedInto'
>;
