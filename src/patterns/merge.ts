import { isContiguousSub, MERGE_THRESHOLD, MERGEABLE_KINDS, patternSimilarity } from './similarity.js';
import type { MergeCandidate, PatternKind } from './types.js';

/** A chosen near-duplicate target with its similarity. */
export interface MergeChoice {
  target: MergeCandidate;
  similarity: number;
}

/**
 * The live pattern `p` should be merged into, or null. A candidate qualifies when it is of a
 * mergeable kind, the same kind and task type, similarity ≥ `threshold`, shares no supporting
 * episode with `p` (merging would count that episode twice — this is what keeps the windows of
 * one episode apart), and, for tool sequences, is not a contiguous sub- or super-sequence of
 * `p` (those are tracked as patterns of their own). Best similarity wins, then more
 * occurrences, then the older pattern.
 */
export function chooseMergeTarget(p: MergeCandidate, candidates: readonly MergeCandidate[], threshold = MERGE_THRESHOLD): MergeChoice | null {
  if (!MERGEABLE_KINDS.includes(p.kind as PatternKind) || p.mergedInto !== null) return null;
  const mine = new Set(p.episodeIds);
  let best: MergeChoice | null = null;
  for (const c of candidates) {
    if (c.id === p.id || c.mergedInto !== null || c.kind !== p.kind || c.taskType !== p.taskType) continue;
    if (c.episodeIds.some((e) => mine.has(e))) continue;
    if (p.kind === 'tool_sequence' && (isContiguousSub(p.tokens, c.tokens) || isContiguousSub(c.tokens, p.tokens)) && p.tokens.length !== c.tokens.length)
      continue;
    const similarity = patternSimilarity(p, c);
    if (similarity < threshold - 1e-12) continue;
    if (
      !best ||
      similarity > best.similarity ||
      (similarity === best.similarity &&
        (c.occurrences > best.target.occurrences || (c.occurrences === best.target.occurrences && c.firstSeen < best.target.firstSeen)))
    ) {
      best = { target: c, similarity };
    }
  }
  return best;
}
