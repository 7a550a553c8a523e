import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { checkRpcMessage, RPC_CODES, type RpcErrorReply, rpcError } from './rpc-guard.js';
import { createIdScanner, type IdScanner } from './rpc-id-scan.js';

/** Largest stdio message accepted by default, in bytes (the MCP SDK's own stdio buffer size). */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Options of {@link GuardedStdioTransport}. */
export interface GuardedStdioOptions {
  /** Default `process.stdin`. */
  stdin?: NodeJS.ReadableStream;
  /** Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** Longest line (one JSON-RPC message) accepted, in bytes. Default {@link DEFAULT_MAX_MESSAGE_BYTES}. */
  maxMessageBytes?: number;
  /** Told about every line that was not passed on (with the answer sent, if any). Default: nothing. */
  onReject?: (problem: string, reply: RpcErrorReply | null) => void;
}

/**
 * MCP over stdin/stdout, one JSON-RPC message per line, like the SDK's StdioServerTransport but
 * never silent and never fatal on bad input. The SDK's transport closes (and the server exits)
 * when unread input passes 10 MiB, and drops lines that are not valid JSON-RPC without an answer,
 * so the client waits forever. Here a line over `maxMessageBytes` is skipped without being
 * buffered (its top-level id is read as it streams by) and answered with Invalid Request; a line
 * that is not JSON gets a Parse error, and a malformed request one naming what is wrong.
 */
export class GuardedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #stdin: NodeJS.ReadableStream;
  readonly #stdout: NodeJS.WritableStream;
  readonly #max: number;
  readonly #onReject: GuardedStdioOptions['onReject'];
  #line: Buffer[] = [];
  #lineBytes = 0;
  // Set while skipping a line that is over the limit.
  #skipping: IdScanner | null = null;
  #started = false;

  constructor(options: GuardedStdioOptions = {}) {
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#onReject = options.onReject;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error('GuardedStdioTransport already started');
    this.#started = true;
    this.#stdin.on('data', this.#ondata);
    this.#stdin.on('error', this.#onStreamError);
  }

  async close(): Promise<void> {
    this.#stdin.off('data', this.#ondata);
    this.#stdin.off('error', this.#onStreamError);
    if (this.#stdin.listenerCount('data') === 0) this.#stdin.pause();
    this.#line = [];
    this.#lineBytes = 0;
    this.#skipping = null;
    this.onclose?.();
  }

  send(message: JSONRPCMessage | RpcErrorReply): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.#stdout.once('drain', resolve);
    });
  }

  readonly #onStreamError = (error: Error) => this.onerror?.(error);

  readonly #ondata = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(0x0a, start);
      const piece = bytes.subarray(start, newline === -1 ? bytes.length : newline);
      this.#take(piece);
      if (newline === -1) return;
      this.#endLine();
      start = newline + 1;
    }
  };

  #take(piece: Buffer): void {
    if (this.#skipping) {
      this.#skipping.feed(piece);
      this.#lineBytes += piece.length;
      return;
    }
    if (this.#lineBytes + piece.length <= this.#max) {
      this.#line.push(piece);
      this.#lineBytes += piece.length;
      return;
    }
    this.#skipping = createIdScanner();
    for (const part of this.#line) this.#skipping.feed(part);
    this.#skipping.feed(piece);
    this.#line = [];
    this.#lineBytes += piece.length;
  }

  #endLine(): void {
    const size = this.#lineBytes;
    const skipped = this.#skipping;
    const text = skipped ? '' : Buffer.concat(this.#line, size).toString('utf8');
    this.#line = [];
    this.#lineBytes = 0;
    this.#skipping = null;
    if (skipped) {
      const problem = `the message is ${size} bytes, over the limit of ${this.#max} bytes for one stdio message; send less data per call`;
      this.#reject(problem, rpcError(skipped.id(), RPC_CODES.invalidRequest, `Invalid Request: ${problem}`));
      return;
    }
    if (text.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const problem = `the line is not valid JSON (${(err as Error).message})`;
      this.#reject(problem, rpcError(null, RPC_CODES.parseError, `Parse error: ${problem}`));
      return;
    }
    const checked = checkRpcMessage(raw);
    if (checked.ok) this.onmessage?.(checked.message);
    else this.#reject(checked.problem, checked.reply);
  }

  #reject(problem: string, reply: RpcErrorReply | null): void {
    this.#onReject?.(problem, reply);
    if (reply) void this.send(reply);
  }
}
