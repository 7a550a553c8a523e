import { z } from 'zod';
import type { EpisodeWithSteps } from '../../src/episodes/types.js';
import { iso } from './common.js';

/** A step's result, as `log_step` takes it. */
export const stepResultSchema = z.object({
  type: z.enum(['success', 'error', 'timeout']),
  output: z.string().max(20_000).optional(),
  message: z.string().max(5_000).optional(),
});

/**
 * A stored episode in the wire shape: the latest `stepLimit` steps, each without what is empty
 * (no parameters, no result, no latency), so a long episode costs only what it holds.
 */
export function episodeToWire(ep: EpisodeWithSteps, stepLimit = 200) {
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
    outcome_type: ep.outcomeType,
    reward: ep.rewardParts,
    reflection: ep.reflection,
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
