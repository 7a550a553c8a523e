import type { PatternKind } from './types.js';

/** Similarity at or above which two patterns are near-duplicates and get merged. */
export const MERGE_THRESHOLD = 0.85;

/**
 * Kinds whose content is a token list worth comparing by edit distance. Context patterns and
 * heuristics are defined by their context, so two different ones are never near-duplicates.
 */
export const MERGEABLE_KINDS: readonly PatternKind[] = ['tool_sequence', 'error_recovery', 'decision_point'];

/**
 * Weights of the similarity formulas: context = 0.4 same domain + 0.3 same language + 0.3 tag
 * Jaccard; overall = 0.7 content (edit similarity of the tokens) + 0.3 context.
 */
export const WEIGHTS = { domain: 0.4, language: 0.3, tags: 0.3, content: 0.7, context: 0.3 } as const;

/** Levenshtein distance between two token lists (insert, delete, substitute cost 1). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** 1 − distance ÷ longer length; two empty lists are identical (1). */
export function editSimilarity(a: readonly string[], b: readonly string[]): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** |A ∩ B| ÷ |A ∪ B|; two empty sets count as identical (1). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** The parts of a context that similarity reads. */
export interface ContextLike {
  domain: string;
  language: string | null;
  tags: readonly string[];
}

/** Context similarity = 0.4 × same domain + 0.3 × same language + 0.3 × tag Jaccard. */
export function contextSimilarity(a: ContextLike, b: ContextLike): number {
  return (
    WEIGHTS.domain * (a.domain === b.domain ? 1 : 0) +
    WEIGHTS.language * ((a.language ?? null) === (b.language ?? null) ? 1 : 0) +
    WEIGHTS.tags * jaccard(a.tags, b.tags)
  );
}

/** What the similarity of two patterns reads. */
export interface Comparable extends ContextLike {
  tokens: readonly string[];
}

/** Sequence similarity = 0.7 × edit-distance similarity of the tokens + 0.3 × context similarity. */
export function patternSimilarity(a: Comparable, b: Comparable): number {
  return WEIGHTS.content * editSimilarity(a.tokens, b.tokens) + WEIGHTS.context * contextSimilarity(a, b);
}

/**
 * Token counts a pattern of `size` tokens can be merged with: a distance d between lists of
 * lengths m ≤ n is at least n − m, and even with identical context the content part must reach
 * (threshold − 0.3) ÷ 0.7. Used to narrow the candidates fetched from the store.
 */
export function sizeWindow(size: number, threshold = MERGE_THRESHOLD): { min: number; max: number } {
  const minSim = (threshold - WEIGHTS.context) / WEIGHTS.content;
  return { min: Math.ceil(size * minSim - 1e-9), max: Math.floor(size / minSim + 1e-9) };
}

/**
 * Sizes a pattern of `size` tokens can be merged with at edit distance ≥ 1, or null when none
 * can: one edit out of L tokens leaves at most 1 − 1/L of the content, which reaches the
 * required (threshold − 0.3) ÷ 0.7 only when the longer list has L ≥ 5 tokens. Pairs that close
 * share their first two or last two tokens (one edit cannot touch both ends of a list of ≥ 4),
 * which is how the store looks them up.
 */
export function nearSizes(size: number, threshold = MERGE_THRESHOLD): { min: number; max: number } | null {
  const minSim = (threshold - WEIGHTS.context) / WEIGHTS.content;
  const minLongest = Math.ceil(1 / (1 - minSim) - 1e-9);
  const { min, max } = sizeWindow(size, threshold);
  if (max < minLongest) return null;
  return { min: size >= minLongest ? min : minLongest, max };
}

/** True when `inner` occurs as a contiguous run inside `outer` (a sub-window, not a near-duplicate). */
export function isContiguousSub(inner: readonly string[], outer: readonly string[]): boolean {
  if (inner.length > outer.length) return false;
  scan: for (let i = 0; i + inner.length <= outer.length; i++) {
    for (let j = 0; j < inner.length; j++) if (outer[i + j] !== inner[j]) continue scan;
    return true;
  }
  return false;
}
