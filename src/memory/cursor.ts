import { CairnError } from '../errors.js';

/** Where a page of a newest-first listing ended: the last memory's creation time and id. */
export interface CursorPosition {
  createdAt: number;
  id: string;
}

/**
 * An opaque cursor for the position: a version tag, the time and the id, base64url-encoded.
 * Clients pass it back unchanged; its content is not a contract.
 */
export function encodeCursor(p: CursorPosition): string {
  return Buffer.from(JSON.stringify(['m1', p.createdAt, p.id])).toString('base64url');
}

/** Reads a cursor made by `encodeCursor`; anything else is `INVALID_INPUT`. */
export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    parsed[0] === 'm1' &&
    Number.isSafeInteger(parsed[1]) &&
    typeof parsed[2] === 'string' &&
    parsed[2].length <= 64
  ) {
    return { createdAt: parsed[1] as number, id: parsed[2] };
  }
  throw new CairnError('INVALID_INPUT', 'cursor: not a cursor from this listing; pass next_cursor exactly as returned, or omit it for the first page');
}
