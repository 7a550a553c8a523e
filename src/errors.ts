/**
 * One error type for every failure Cairn reports on purpose.
 *
 * `code` is a stable string a client (or a test) can branch on; `message` is written for a person
 * or a model to act on: it names the field or state that is wrong and what is accepted.
 */
export class CairnError extends Error {
  /** Stable machine-readable code, e.g. `EPISODE_CLOSED`. */
  readonly code: CairnErrorCode;
  /** Optional structured detail returned to the client alongside the message. */
  readonly details?: Record<string, unknown>;

  constructor(code: CairnErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    if (options?.details) this.details = options.details;
  }
}

/** Every code Cairn uses. Domain codes reach the client; `INTERNAL` never carries a stack. */
export type CairnErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EPISODE_CLOSED'
  | 'ALREADY_COMPLETED'
  | 'STORE_UNAVAILABLE'
  | 'STORE_BUSY'
  | 'STORE_READONLY'
  | 'STORE_FULL'
  | 'STORE_NEWER_THAN_CODE'
  | 'CACHE_ERROR'
  | 'INSUFFICIENT_DATA'
  | 'SANDBOX_BUSY'
  | 'SANDBOX_ERROR'
  | 'RATE_LIMITED'
  | 'UNAUTHORIZED'
  | 'CONFIG_INVALID'
  | 'EMBEDDER_UNAVAILABLE'
  | 'REPLY_TOO_LARGE'
  | 'INTERNAL';

/** True when `err` is a CairnError, optionally with the given code. */
export function isCairnError(err: unknown, code?: CairnErrorCode): err is CairnError {
  return err instanceof CairnError && (code === undefined || err.code === code);
}

/** A tool result as the MCP SDK expects it. */
export interface ToolErrorResult {
  [key: string]: unknown;
  isError: true;
  content: Array<{ type: 'text'; text: string }>;
}

/**
 * The one place failures become tool results: a CairnError keeps its code and message; anything
 * else is logged with an id and reported without internals (no stack, no SQL).
 */
export function toToolResult(err: unknown, log: (msg: string, fields: Record<string, unknown>) => void): ToolErrorResult {
  if (err instanceof CairnError) {
    const details = err.details ? ` ${JSON.stringify(err.details)}` : '';
    return { isError: true, content: [{ type: 'text', text: `${err.code}: ${err.message}${details}` }] };
  }
  const id = Math.random().toString(36).slice(2, 10);
  log('internal error', { error_id: id, err });
  return { isError: true, content: [{ type: 'text', text: `INTERNAL: unexpected server error (error id ${id}); the server log has details` }] };
}
