/** Vocabulary of episodes. A leaf: storage and services import it, it imports nothing. */

/** How hard a task is, as the agent judges it; scales the reward. */
export const TASK_COMPLEXITIES = ['simple', 'moderate', 'complex'] as const;
/** One of `TASK_COMPLEXITIES`. */
export type TaskComplexity = (typeof TASK_COMPLEXITIES)[number];
/** How an episode ended. */
export const OUTCOME_TYPES = ['success', 'partial_success', 'failure', 'abstained'] as const;
/** One of `OUTCOME_TYPES`. */
export type OutcomeType = (typeof OUTCOME_TYPES)[number];
/** How a step ended. */
export const STEP_RESULT_TYPES = ['success', 'error', 'timeout'] as const;
/** One of `STEP_RESULT_TYPES`. */
export type StepResultType = (typeof STEP_RESULT_TYPES)[number];
/** An episode is open until it is completed, once. */
export const EPISODE_STATUSES = ['open', 'completed'] as const;
/** One of `EPISODE_STATUSES`. */
export type EpisodeStatus = (typeof EPISODE_STATUSES)[number];

/** One step of an episode: a tool call or action and its result. */
export interface StepRecord {
  stepNumber: number;
  tool: string;
  action: string;
  parameters: Record<string, unknown>;
  result: { type: StepResultType; output?: string; message?: string } | null;
  latencyMs: number | null;
  at: number;
}

/** An episode without its steps. `outcome`, `rewardParts` and `reflection` are the documents stored at completion. */
export interface EpisodeRecord {
  id: string;
  namespace: string;
  task: string;
  taskType: string;
  domain: string;
  language: string | null;
  framework: string | null;
  tags: string[];
  complexity: TaskComplexity;
  context: Record<string, unknown>;
  status: EpisodeStatus;
  outcomeType: string | null;
  outcome: Record<string, unknown> | null;
  reward: number | null;
  rewardParts: Record<string, unknown> | null;
  reflection: Record<string, unknown> | null;
  summary: string | null;
  startedAt: number;
  completedAt: number | null;
  updatedAt: number;
}

/** The fields of an episode that is still open: nothing of its outcome is known yet. */
export const OPEN_EPISODE = {
  status: 'open',
  outcomeType: null,
  outcome: null,
  reward: null,
  rewardParts: null,
  reflection: null,
  summary: null,
  completedAt: null,
} as const satisfies Partial<EpisodeRecord>;

/** An episode with its steps in order. */
export interface EpisodeWithSteps extends EpisodeRecord {
  steps: StepRecord[];
}

/** How an episode ended, as the agent reports it. */
export interface Outcome {
  type: OutcomeType;
  verdict?: string;
  artifacts?: string[];
  completed?: string[];
  failed?: string[];
  reason?: string;
  errorDetails?: string;
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

/** Steps as the reward and reflection rules read them. */
export type Steps = readonly StepRecord[];
