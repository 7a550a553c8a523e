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
