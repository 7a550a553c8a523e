import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC error codes for messages answered before they reach the SDK. */
export const RPC_CODES = { parseError: -32700, invalidRequest: -32600, invalidParams: -32602 } as const;

/** A JSON-RPC error response written by Cairn itself. */
export interface RpcErrorReply {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

/** Outcome of {@link checkRpcMessage}: the message for the SDK, or why not and what to answer (null: nobody waits for an answer). */
export type CheckedMessage = { ok: true; message: JSONRPCMessage } | { ok: false; problem: string; reply: RpcErrorReply | null };

/** Builds a JSON-RPC error response. */
export function rpcError(id: string | number | null, code: number, message: string): RpcErrorReply {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * Checks one parsed message against the SDK's own JSON-RPC schema. The SDK drops a message that
 * fails it without a word (over stdio the client then waits forever); here a request that still
 * carries an id gets an Invalid Request (-32600) or Invalid params (-32602) error naming the
 * problem, anything else without an id an error with id null, and notifications and responses
 * (which nobody waits on) no answer.
 */
export function checkRpcMessage(raw: unknown): CheckedMessage {
  const parsed = JSONRPCMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  if (!isObject(raw)) {
    const problem = Array.isArray(raw)
      ? 'a batch (JSON array) is not accepted; send one message object at a time'
      : `expected a JSON-RPC message object, got ${kindOf(raw)}`;
    return { ok: false, problem, reply: rpcError(null, RPC_CODES.invalidRequest, `Invalid Request: ${problem}`) };
  }
  const { code, problem } = describe(raw, parsed.error.issues);
  const notification = 'method' in raw && !('id' in raw);
  const response = !('method' in raw) && ('result' in raw || 'error' in raw);
  if (notification || response) return { ok: false, problem, reply: null };
  const id = typeof raw.id === 'string' || (typeof raw.id === 'number' && Number.isFinite(raw.id)) ? raw.id : null;
  return { ok: false, problem, reply: rpcError(id, code, `${code === RPC_CODES.invalidParams ? 'Invalid params' : 'Invalid Request'}: ${problem}`) };
}

/**
 * Checks an HTTP body: one message or a batch (array). Null when every message is fine; else
 * the problems and what to answer: the single error for a single message, the errors of the
 * requests among them for a batch.
 */
export function checkRpcBody(body: unknown): { problems: string[]; reply: RpcErrorReply | RpcErrorReply[] } | null {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0)
    return {
      problems: ['an empty batch holds no message'],
      reply: rpcError(null, RPC_CODES.invalidRequest, 'Invalid Request: an empty batch holds no message'),
    };
  const problems: string[] = [];
  const replies: RpcErrorReply[] = [];
  for (const m of list) {
    const checked = checkRpcMessage(m);
    if (checked.ok) continue;
    problems.push(checked.problem);
    if (checked.reply) replies.push(checked.reply);
  }
  if (problems.length === 0) return null;
  return { problems, reply: Array.isArray(body) ? replies : (replies[0] ?? rpcError(null, RPC_CODES.invalidRequest, `Invalid Request: ${problems[0]}`)) };
}

function describe(
  m: Record<string, unknown>,
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string; errors?: unknown }>,
): { code: number; problem: string } {
  const invalid = (problem: string) => ({ code: RPC_CODES.invalidRequest, problem });
  if (m.jsonrpc !== '2.0') return invalid(`jsonrpc must be "2.0" (got ${JSON.stringify(m.jsonrpc) ?? 'nothing'})`);
  if (!('method' in m)) return invalid('a message needs a "method" (request or notification) or a "result" or "error" (response)');
  if (typeof m.method !== 'string') return invalid(`method must be a string (got ${kindOf(m.method)})`);
  if ('id' in m && !(typeof m.id === 'string' || Number.isInteger(m.id)))
    return invalid(`id must be a string or an integer (got ${kindOf(m.id) === 'number' ? m.id : kindOf(m.id)})`);
  if ('params' in m && !isObject(m.params))
    return { code: RPC_CODES.invalidParams, problem: `params of ${m.method} must be an object (got ${kindOf(m.params)})` };
  const extra = Object.keys(m).find((k) => !REQUEST_MEMBERS.has(k));
  if (extra !== undefined) return invalid(`unexpected member ${JSON.stringify(extra)}; a request has only jsonrpc, id, method and params`);
  // The union's first branch is the request schema: its first issue says what is wrong with params.
  const first = issues[0];
  const branch = (first?.errors as Array<typeof issues> | undefined)?.[0]?.[0] ?? first;
  const where = branch?.path.map(String).join('.') || 'params';
  return { code: RPC_CODES.invalidParams, problem: `${where} of ${m.method}: ${branch?.message ?? 'malformed'}` };
}
