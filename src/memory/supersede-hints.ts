import { toFtsMatch } from '../search/index.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import { contentWords } from './text.js';
import type { MemoryKind, SupersedeCandidate } from './types.js';

/** Kinds whose new statements may correct an old one. */
const CORRECTABLE: ReadonlySet<MemoryKind> = new Set(['fact', 'preference']);

/** Options of {@link supersedeHints}. */
export interface SupersedeHintOptions {
  /** Cosine similarity a candidate needs. Default 0.5. */
  similarity?: number;
  /** Most candidates listed. Default 3. */
  max?: number;
}

/**
 * Visible memories a new fact or preference may correct, for the client's model to judge (Cairn
 * never decides): same kind, the same subject (the new text's first content word appears in the
 * old one), at least two content words in common, and cosine similarity ≥ `similarity`. Taken
 * from the 20 best full-text matches, best first.
 */
export async function supersedeHints(
  repo: Pick<MemoryRepo, 'search'>,
  embed: (texts: string[]) => Promise<Float32Array[]>,
  ns: string,
  m: { id: string; kind: MemoryKind; content: string },
  skip: ReadonlySet<string>,
  o: SupersedeHintOptions = {},
): Promise<SupersedeCandidate[]> {
  if (!CORRECTABLE.has(m.kind)) return [];
  const words = contentWords(m.content);
  const match = toFtsMatch(m.content);
  if (!match || words.length < 2) return [];
  const subject = words[0]!;
  const found = await repo.search(ns, match, { kinds: [m.kind] }, 20);
  const near = found.filter((c) => {
    if (c.id === m.id || skip.has(c.id)) return false;
    const other = new Set(contentWords(c.content));
    return other.has(subject) && words.filter((w) => other.has(w)).length >= 2;
  });
  if (near.length === 0) return [];
  const [v, ...others] = await embed([m.content, ...near.map((c) => c.content)]);
  const out = near.map((c, i) => ({ id: c.id, content: c.content, similarity: cosine(v!, others[i]!) }));
  return out
    .filter((c) => c.similarity >= (o.similarity ?? 0.5))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, o.max ?? 3)
    .map((c) => ({ ...c, similarity: Math.round(c.similarity * 1000) / 1000 }));
}

/** Cosine of two vectors (embedders return them normalised; this does not assume it). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
