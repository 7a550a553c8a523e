import { z } from 'zod';
import type { EpisodeWithSteps } from '../../src/episodes/types.js';
import { OUTCOME_TYPES, TASK_COMPLEXITIES } from '../../src/episodes/types.js';
import { iso } from './common.js';

// The precise wire shapes of an episode. get_episode and complete_episode list looser schemas to
// keep the catalogue small; these give the mappers their types and `cairn import` its row rules.

/** Reward with every factor: total = max(0, base) × efficiency × complexity × quality + learning_bonus. */
export const rewardSchema = z.object({
  total: z.number(),
  base: z.number(),
  efficiency: z.number(),
  complexity: z.number(),
  quality: z.number(),
  learning_bonus: z.number(),
  notes: z.array(z.string()),
});

export const reflectionSchema = z.object({
  successes: z.array(z.string()),
  improvements: z.array(z.string()),
  insights: z.array(z.string()),
});

/** A step's result, as `log_step` takes it. */
export const stepResultSchema = z.object({
  type: z.enum(['success', 'error', 'timeout']),
  output: z.string().max(20_000).optional(),
  message: z.string().max(5_000).optional(),
});

/** A step without what is empty: parameters, result and latency appear when they were given. */
export const stepSchema = z.object({
  step_number: z.number().int(),
  tool: z.string(),
  action: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  result: stepResultSchema.optional(),
  latency_ms: z.number().optional(),
  at: z.string(),
});

export const episodeSchema = z.object({
  id: z.string(),
  task: z.string(),
  task_type: z.string(),
  domain: z.string(),
  language: z.string().nullable(),
  framework: z.string().nullable(),
  tags: z.array(z.string()),
  complexity: z.enum(TASK_COMPLEXITIES),
  context: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'completed']),
  outcome: z.record(z.string(), z.unknown()).nullable(),
  outcome_type: z.enum(OUTCOME_TYPES).nullable(),
  reward: rewardSchema.nullable(),
  reflection: reflectionSchema.nullable(),
  summary: z.string().nullable(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  step_count: z.number().int(),
  steps: z.array(stepSchema),
});

/** A stored episode in the wire shape, with its latest `stepLimit` steps, so a long episode costs only what it holds. */
export function episodeToWire(ep: EpisodeWithSteps, stepLimit = 200): z.infer<typeof episodeSchema> {
  return {
    id: ep.id,
    task: ep.task,
    task_type: ep.taskType,
    domain: ep.domain,
    language: ep.language,
    framework: ep.framework,
    tags: ep.tags,
    complexity: ep.complexity,
    context: ep.context,
    status: ep.status,
    outcome: ep.outcome,
    outcome_type: ep.outcomeType as z.infer<typeof episodeSchema>['outcome_type'],
    reward: ep.rewardParts as z.infer<typeof rewardSchema> | null,
    reflection: ep.reflection as z.infer<typeof reflectionSchema> | null,
    summary: ep.summary,
    started_at: iso(ep.startedAt)!,
    completed_at: iso(ep.completedAt),
    step_count: ep.steps.length,
    steps: ep.steps.slice(-stepLimit).map((s) => ({
      step_number: s.stepNumber,
      tool: s.tool,
      action: s.action,
      ...(Object.keys(s.parameters).length ? { parameters: s.parameters } : {}),
      ...(s.result ? { result: { ...s.result } } : {}),
      ...(s.latencyMs !== null ? { latency_ms: s.latencyMs } : {}),
      at: iso(s.at)!,
    })),
  };
}
