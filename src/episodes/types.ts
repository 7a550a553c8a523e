import type { EpisodeWithSteps, OUTCOME_TYPES, StepRecord } from '../storage/records.js';

export type { EpisodeRecord, EpisodeWithSteps, StepRecord } from '../storage/records.js';
export { OUTCOME_TYPES, TASK_COMPLEXITIES } from '../storage/records.js';
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** How an episode ended, as the agent reports it. */
export interface Outcome {
  type: OutcomeType;
  verdict?: string;
  artifacts?: string[];
  completed?: string[];
  failed?: string[];
  reason?: string;
  error_details?: string;
}

/** The reward and every factor that produced it, so a caller can see why. */
export interface Reward {
  total: number;
  base: number;
  efficiency: number;
  complexity: number;
  quality: number;
  learning_bonus: number;
  /** Human-readable reasons for each adjustment. */
  notes: string[];
}

/** Rule-based reflection (≤ 5 items per list). */
export interface Reflection {
  successes: string[];
  improvements: string[];
  insights: string[];
}

/** A pattern found or reinforced by an episode, as `complete_episode` returns it. */
export interface PatternRef {
  id: string;
  kind: string;
  description: string;
  /** True when this episode created the pattern rather than reinforcing it. */
  new: boolean;
  occurrences: number;
  success_rate: number;
}

/**
 * Hook run while an episode completes: it sees the finished episode and returns the patterns it
 * found. `persist` runs inside the completion transaction.
 */
export interface CompletionHook {
  extract(ep: EpisodeWithSteps, reward: { outcomeType: OutcomeType }): Promise<{ patterns: PatternRef[]; newCount: number; persist?: (tx: import('@libsql/client').Transaction) => Promise<void> }>;
}

/** Steps as the reward and reflection rules read them. */
export type Steps = readonly StepRecord[];
