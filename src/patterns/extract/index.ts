import type { EpisodeWithSteps, OutcomeType } from '../../episodes/types.js';
import type { PatternCandidate, PatternContext } from '../types.js';
import { extractContext, extractHeuristics } from './context.js';
import { extractDecisions } from './decisions.js';
import { extractRecoveries } from './recoveries.js';
import { extractSequences } from './sequences.js';

/** The context an episode's patterns are keyed and compared in. */
export function contextOf(ep: EpisodeWithSteps): PatternContext {
  return { taskType: ep.taskType, domain: ep.domain, language: ep.language, tags: [...new Set(ep.tags)].slice(0, 32) };
}

/**
 * Every pattern candidate in a finished episode, each key once, in a fixed order: context,
 * error recoveries, decisions, heuristics, then tool sequences (shortest first). The order is
 * deterministic so that work split between the completion and a background job can be resumed
 * by position. Episode-level kinds (sequences, decisions, context, heuristics) count an episode
 * as a success only when its outcome is `success`; an abstained episode contributes only error
 * recoveries, whose evidence is the recovery step itself. Pure: no I/O, no clock.
 */
export function extractCandidates(ep: EpisodeWithSteps, outcomeType: OutcomeType): PatternCandidate[] {
  const ctx = contextOf(ep);
  const recoveries = extractRecoveries(ep.steps, ctx);
  if (outcomeType === 'abstained') return recoveries;
  const success = outcomeType === 'success';
  return [
    extractContext(ep, ctx, success),
    ...recoveries,
    ...extractDecisions(ep, ctx, success),
    ...extractHeuristics(ep, ctx, success),
    ...extractSequences(ep.steps, ctx, success),
  ];
}
