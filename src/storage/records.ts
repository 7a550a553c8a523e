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

export type StepResultType = 'success' | 'error' | 'timeout';

export interface StepRecord {
  stepNumber: number;
  tool: string;
  action: string;
  parameters: Record<string, unknown>;
  result: { type: StepResultType; output?: string; message?: string } | null;
  latencyMs: number | null;
  at: number;
}

export type EpisodeStatus = 'open' | 'completed';

export interface EpisodeRecord {
  id: string;
  namespace: string;
  task: string;
  taskType: string;
  domain: string;
  language: string | null;
  framework: string | null;
  tags: string[];
  complexity: 'simple' | 'moderate' | 'complex';
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
