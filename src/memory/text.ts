import { createHash } from 'node:crypto';
import { lightStem, normalizeText, STOP_WORDS, splitWords } from '../embeddings/text.js';

/** Unicode-normalises, trims and collapses white space; case is folded for comparison only. */
export function normaliseContent(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Hash identifying an exact duplicate: same normalised content (case-folded), kind and time. */
export function contentHash(content: string, kind: string, occurredAt: number | null): string {
  return createHash('sha256')
    .update(`${kind}\u0000${occurredAt ?? ''}\u0000${normaliseContent(content).toLowerCase()}`)
    .digest('hex');
}

/**
 * The content modulo white space, case, diacritics and punctuation: `Alice prefers oat-milk!` and
 * `alice prefers  oat milk` have the same text key. Two memories with one key say the same thing.
 */
export function textKey(content: string): string {
  return splitWords(normalizeText(content)).join(' ');
}

/** A short hash of `textKey`, stored with each memory to find client retries in SQL. */
export function textKeyHash(content: string): string {
  return createHash('sha256').update(textKey(content)).digest('hex').slice(0, 32);
}

const COMPOUND = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/**
 * The distinct stemmed words of a text that carry meaning (stop words dropped), in order of first
 * use. Words joined by a hyphen or an apostrophe stay one word: `half-marathon` is not `marathon`,
 * and `Gita's` (who owns something) is not `Gita`.
 */
export function contentWords(content: string): string[] {
  const out = new Set<string>();
  for (const w of normalizeText(content).match(COMPOUND) ?? []) if (!STOP_WORDS.has(w)) out.add(lightStem(w.replace(/’/g, "'")));
  return [...out];
}

/**
 * Words that pin down which thing a text is about, so a text lacking one of another's is never the
 * same memory however alike they read: numbers (`5433`, `2026`) and capitalised words after the
 * first (names such as `Priya`, `Heron`), case-folded as in `textKey`.
 */
export function anchorWords(content: string): string[] {
  const out = new Set<string>();
  const words = content.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  words.forEach((w, i) => {
    if (/\p{N}/u.test(w) || (i > 0 && w.length > 1 && /^\p{Lu}/u.test(w))) out.add(normalizeText(w));
  });
  return [...out].sort();
}

const NEGATION = /\b(?:not|no|never|nor|none|neither|nobody|nothing|nowhere|without|cannot)\b|n['’]t\b/gu;
const CHANGE = /\b(?:now|longer|anymore|used to|formerly|former|previously|currently|still)\b/gu;

/**
 * Words that turn a statement around — negations (`not`, `never`, `doesn't`) and changes over time
 * (`now`, `no longer`, `used to`, `previously`) — sorted. Most are stop words to an embedder, so
 * two texts differing only in them read alike; they never say the same thing.
 */
export function markerWords(content: string): string[] {
  const text = normalizeText(content);
  return [...(text.match(NEGATION) ?? []), ...(text.match(CHANGE) ?? [])].map((w) => (/^n['’]t$/.test(w) ? 'not' : w)).sort();
}

/** True when every word of the shorter list appears in the longer one. */
export function contained(a: readonly string[], b: readonly string[]): boolean {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const set = new Set(large);
  return small.every((w) => set.has(w));
}

/** |a ∩ b| / |a ∪ b| of two word lists (0 when both are empty). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const set = new Set(a);
  let both = 0;
  for (const w of new Set(b)) if (set.has(w)) both++;
  return both / (set.size + new Set(b).size - both);
}
