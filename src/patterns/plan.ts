import type { EpisodeWithSteps, PatternRef } from '../episodes/types.js';
import type { PatternCandidate, PatternHead, PatternKind, PatternWrite, UpsertedRow } from './types.js';

/** Most pattern refs `complete_episode` returns; the learning bonus still counts every new pattern. */
export const MAX_REFS = 25;

/** What one episode will write, with the refs `complete_episode` returns (predicted until persisted). */
export interface WritePlan {
  writes: PatternWrite[];
  /** Ref per written key, filled with stored values once the upsert has run. */
  refs: Map<string, PatternRef>;
  /** Keys predicted to create a pattern (not found in the store when planned). */
  predictedNew: number;
}

const REF_ORDER: Record<PatternKind, number> = { error_recovery: 0, decision_point: 1, context_pattern: 2, tool_sequence: 3, heuristic: 4 };

/**
 * Turns an episode's candidates into writes against live keys: a candidate whose key was merged
 * into another pattern writes to that pattern, and two candidates landing on one live pattern
 * count once (success if either succeeded), so an episode never counts twice for a pattern.
 */
export function planWrites(
  ep: EpisodeWithSteps,
  candidates: readonly PatternCandidate[],
  resolved: ReadonlyMap<string, PatternHead>,
  at: number,
  newId: (key: string) => string,
): WritePlan {
  const writes = new Map<string, PatternWrite>();
  const live = new Map<string, PatternHead | undefined>();
  for (const c of candidates) {
    const found = resolved.get(c.key);
    const key = found?.key ?? c.key;
    const prior = writes.get(key);
    if (prior) {
      prior.success ||= c.success;
      prior.latencyMs ??= c.latencyMs;
      continue;
    }
    live.set(key, found);
    writes.set(key, {
      id: found?.id ?? newId(key),
      kind: c.kind,
      key,
      matchKey: c.matchKey,
      description: c.description,
      tokens: c.tokens,
      data: c.data,
      taskType: c.context.taskType,
      domain: c.context.domain,
      language: c.context.language,
      tags: c.context.tags,
      success: c.success,
      latencyMs: c.latencyMs,
      episodeId: ep.id,
      at,
    });
  }
  const refs = new Map<string, PatternRef>();
  let predictedNew = 0;
  for (const [key, w] of writes) {
    const found = live.get(key);
    if (!found) predictedNew++;
    const occurrences = (found?.occurrences ?? 0) + 1;
    refs.set(key, {
      id: w.id,
      kind: found?.kind ?? w.kind,
      description: found?.description ?? w.description,
      new: !found,
      occurrences,
      success_rate: ((found?.successes ?? 0) + (w.success ? 1 : 0)) / occurrences,
    });
  }
  return { writes: [...writes.values()], refs, predictedNew };
}

/** Copies the stored values into the refs after the upsert. */
export function fillRefs(refs: Map<string, PatternRef>, rows: readonly UpsertedRow[]): void {
  for (const r of rows) {
    const ref = refs.get(r.key);
    if (!ref) continue;
    ref.id = r.id;
    ref.new = r.inserted;
    ref.occurrences = r.occurrences;
    ref.success_rate = r.occurrences === 0 ? 0 : r.successes / r.occurrences;
  }
}

/** The refs worth returning: recoveries, decisions and the context first, then sequences, then heuristics; best established first within a kind. */
export function topRefs(refs: Iterable<PatternRef>, max = MAX_REFS): PatternRef[] {
  return [...refs].sort((a, b) => REF_ORDER[a.kind as PatternKind] - REF_ORDER[b.kind as PatternKind] || b.occurrences - a.occurrences).slice(0, max);
}
