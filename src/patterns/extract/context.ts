import type { EpisodeWithSteps } from '../../episodes/types.js';
import { canonicalKey, contextPhrase, matchKeyOf, normTool } from '../keys.js';
import type { PatternCandidate, PatternContext } from '../types.js';

/** Most tool heuristics one episode contributes. */
export const MAX_HEURISTICS_PER_EPISODE = 20;

/**
 * The context pattern: task type, domain and language → how often such episodes succeed.
 * Its latency is the episode's duration.
 */
export function extractContext(ep: EpisodeWithSteps, ctx: PatternContext, success: boolean): PatternCandidate {
  const tokens = [ctx.taskType, ctx.domain, ctx.language ?? ''];
  return {
    kind: 'context_pattern',
    key: canonicalKey('context_pattern', ctx, []),
    matchKey: matchKeyOf('context_pattern', tokens),
    description: `Context: ${contextPhrase(ctx)}`,
    tokens,
    data: { features: { task_type: ctx.taskType, domain: ctx.domain, language: ctx.language }, latency_is: 'episode duration' },
    context: ctx,
    success,
    latencyMs: ep.completedAt === null ? null : ep.completedAt - ep.startedAt,
  };
}

/**
 * Heuristics: condition (the context) → action (use a tool), one per distinct tool the episode
 * used, with the episode's outcome as evidence. Reported with their evidence (episode ids,
 * sample size, success rate, and the context's baseline rate) once they have enough support.
 */
export function extractHeuristics(ep: EpisodeWithSteps, ctx: PatternContext, success: boolean): PatternCandidate[] {
  const latency = new Map<string, number | null>();
  for (const s of ep.steps) {
    const tool = normTool(s.tool);
    if (!tool) continue;
    if (!latency.has(tool) && latency.size >= MAX_HEURISTICS_PER_EPISODE) continue;
    const prev = latency.get(tool);
    latency.set(tool, s.latencyMs === null ? (prev ?? null) : (prev ?? 0) + s.latencyMs);
  }
  const condition = `task_type=${ctx.taskType}, domain=${ctx.domain}${ctx.language ? `, language=${ctx.language}` : ''}`;
  return [...latency.entries()].map(([tool, ms]) => {
    const tokens = [tool];
    return {
      kind: 'heuristic' as const,
      key: canonicalKey('heuristic', ctx, tokens),
      matchKey: matchKeyOf('heuristic', tokens),
      description: `Heuristic: when doing ${contextPhrase(ctx)}, use ${tool}`,
      tokens,
      data: { condition, action: `use ${tool}`, tool },
      context: ctx,
      success,
      latencyMs: ms,
    };
  });
}
