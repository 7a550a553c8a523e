import { createHash } from 'node:crypto';

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

/** Turns free text into a safe FTS5 MATCH expression: each word quoted, OR-ed together. */
export function toFtsMatch(query: string): string | null {
  const words = query.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const unique = [...new Set(words)].slice(0, 64);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"`).join(' OR ');
}
