import type { RateClass } from './rate-limit.js';

/** The fields of a JSON-RPC message the HTTP layer looks at before the SDK parses it. */
export interface RpcLike {
  method?: unknown;
  id?: unknown;
  params?: unknown;
}

/** The messages of a body: one object, or each object of a batch array. */
export function rpcMessages(body: unknown): RpcLike[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter((m): m is RpcLike => typeof m === 'object' && m !== null);
}

/**
 * How many requests of a body draw on each rate budget: a `tools/call` of a tool whose
 * `readOnlyHint` is false is a write; every other request (reads, listings, pings, initialize)
 * is a read. Notifications and responses cost nothing.
 */
export function rateNeeds(body: unknown, readOnly: ReadonlyMap<string, boolean>): Record<RateClass, number> {
  const need: Record<RateClass, number> = { read: 0, write: 0 };
  for (const m of rpcMessages(body)) {
    if (typeof m.method !== 'string' || m.id === undefined) continue;
    const tool = m.method === 'tools/call' ? (m.params as { name?: unknown } | undefined)?.name : undefined;
    need[typeof tool === 'string' && readOnly.get(tool) === false ? 'write' : 'read']++;
  }
  return need;
}
