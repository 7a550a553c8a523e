/** Plain records as stored. Services re-export these; storage attaches no meaning to them. */

export const MEMORY_KINDS = ['note', 'fact', 'preference', 'observation', 'event'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

export interface MemoryRecord {
  id: string;
  namespace: string;
  content: string;
  kind: MemoryKind;
  tags: string[];
  importance: number;
  occurredAt: number | null;
  source: string | null;
  metadata: Record<string, unknown>;
  contentHash: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  deletedReason: string | null;
}

export const STEP_RESULT_TYPES = ['success', 'error', 'timeout'] as const;
export type StepResultType = (typeof STEP_RESULT_TYPES)[number];

export interface StepRecord {
  stepNumber: number;
  tool: string;
  action: string;
  parameters: Record<string, unknown>;
  result: { type: StepResultType; output?: string; message?: string } | null;
  latencyMs: number | null;
  at: number;
}

export const EPISODE_STATUSES = ['open', 'completed'] as const;
export type EpisodeStatus = (typeof EPISODE_STATUSES)[number];
export const TASK_COMPLEXITIES = ['simple', 'moderate', 'complex'] as const;
export const OUTCOME_TYPES = ['success', 'partial_success', 'failure', 'abstained'] as const;

export interface EpisodeRecord {
  id: string;
  namespace: string;
  task: string;
  taskType: string;
  domain: string;
  language: string | null;
  framework: string | null;
  tags: string[];
  complexity: (typeof TASK_COMPLEXITIES)[number];
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

export interface EpisodeWithSteps extends EpisodeRecord {
  steps: StepRecord[];
}
