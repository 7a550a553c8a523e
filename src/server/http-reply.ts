import type { ServerResponse } from 'node:http';
import { RPC_CODES } from './rpc-guard.js';

/** JSON-RPC error codes the HTTP layer answers with before a message reaches the SDK. */
export const RPC = { ...RPC_CODES, serverError: -32000, sessionNotFound: -32001 } as const;

/** Sends a JSON body (unless the response has already started). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends a JSON-RPC error object, as MCP clients expect on the MCP routes. */
export function sendRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
  id: string | number | null = null,
): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id }, headers);
}
