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

/**
 * Wraps a transport that a Protocol is already connected to, so that every incoming request is
 * counted until its response has been sent. Works for any transport (stdio, streamable HTTP,
 * SSE), which is what graceful shutdown needs: finish what was asked, then close.
 */
export function trackInFlight(transport: Transport): InFlight {
  const pending = new Set<Id>();
  const waiters = new Set<() => void>();
  const settle = () => {
    if (pending.size === 0) for (const w of [...waiters]) w();
  };
  const received = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const id = requestId(message);
    if (id !== undefined && !pending.has(id)) {
      pending.add(id);
    }
    received?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      return await send(message, options);
    } finally {
      const id = responseId(message);
      if (id !== undefined && pending.delete(id)) settle();
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
