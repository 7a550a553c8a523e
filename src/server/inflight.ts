import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Counts a connected transport's client requests that have not been answered yet. */
export interface InFlight {
  count(): number;
  /** Resolves when nothing is in flight, or after `timeoutMs`; true when drained. */
  drained(timeoutMs: number): Promise<boolean>;
}

type Id = string | number;
const requestId = (m: JSONRPCMessage): Id | undefined => ('method' in m && 'id' in m ? (m.id as Id) : undefined);
const responseId = (m: JSONRPCMessage): Id | undefined => (!('method' in m) && 'id' in m ? (m.id as Id) : undefined);
const cancelledId = (m: JSONRPCMessage): Id | undefined =>
  'method' in m && m.method === 'notifications/cancelled' && !('id' in m) ? ((m.params as { requestId?: Id } | undefined)?.requestId ?? undefined) : undefined;

type Handler = (req: unknown, extra: { requestId: Id; signal?: AbortSignal }) => unknown;

/** Handlers still running, by request id, per server (see `trackHandlers`). */
const RUNNING = new WeakMap<object, Map<Id, Promise<unknown>>>();

/**
 * Records every request handler of `server` while it runs, so that a cancelled request — which
 * the protocol never answers — still counts as in flight until its handler has actually stopped.
 * Call it right after creating the server, before registering tools, prompts or resources.
 */
export function trackHandlers(server: McpServer): void {
  const running = new Map<Id, Promise<unknown>>();
  RUNNING.set(server, running);
  const inner = server.server;
  const set = inner.setRequestHandler.bind(inner) as (schema: unknown, handler: Handler) => void;
  (inner as { setRequestHandler: unknown }).setRequestHandler = (schema: unknown, handler: Handler) =>
    set(schema, (req, extra) => {
      // Cancelled before it started (the cancellation came in the same read): do nothing at all.
      if (extra.signal?.aborted) return Promise.reject(new Error('request cancelled before it started'));
      const work = Promise.resolve().then(() => handler(req, extra));
      running.set(extra.requestId, work);
      const forget = () => {
        if (running.get(extra.requestId) === work) running.delete(extra.requestId);
      };
      work.then(forget, forget);
      return work;
    });
}

/**
 * Wraps a transport that a Protocol is already connected to, so that every incoming request is
 * counted until its response has been sent — or, when the client cancels it, until its handler
 * has stopped (pass the server given to `trackHandlers`; without it a cancelled request stops
 * counting at once). Works for any transport (stdio, streamable HTTP, SSE), which is what graceful
 * shutdown needs: finish what was asked, then close.
 */
export function trackInFlight(transport: Transport, server?: McpServer): InFlight {
  const pending = new Set<Id>();
  const waiters = new Set<() => void>();
  const release = (id: Id) => {
    if (pending.delete(id) && pending.size === 0) for (const w of [...waiters]) w();
  };
  const received = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const id = requestId(message);
    if (id !== undefined) pending.add(id);
    const cancelled = cancelledId(message);
    if (cancelled !== undefined && pending.has(cancelled)) {
      const work = server ? RUNNING.get(server)?.get(cancelled) : undefined;
      const done = () => release(cancelled);
      if (work) work.then(done, done);
      else done();
    }
    received?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      return await send(message, options);
    } finally {
      const id = responseId(message);
      if (id !== undefined) release(id);
    }
  };
  return {
    count: () => pending.size,
    drained(timeoutMs) {
      if (pending.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(timer);
          waiters.delete(onDrain);
          resolve(ok);
        };
        const onDrain = () => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(onDrain);
      });
    },
  };
}
