import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from './auth.js';

/** Which transport a session speaks. */
export type SessionKind = 'streamable' | 'sse';

/** One open MCP session over HTTP. */
export interface SessionEntry {
  id: string;
  kind: SessionKind;
  /** The token (by id) that opened it; every later request must carry the same token. */
  principal: Principal;
  /** Clock time of the last request, ms. */
  lastSeen: number;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /** Passes a request (with its already-read body) to the session's transport. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  /** Closes the session's McpServer and transport. */
  close(): Promise<void>;
}

/** Open sessions by id, with idle expiry. */
export interface SessionRegistry {
  add(entry: SessionEntry): void;
  get(id: string): SessionEntry | undefined;
  delete(id: string): void;
  size(): number;
  /** Open sessions of one token (by principal id). */
  countFor(principalId: string): number;
  counts(): Record<SessionKind, number>;
  /** Closes sessions idle for longer than `idleMs` with nothing in flight; returns how many. */
  sweep(now: number, idleMs: number): Promise<number>;
  /** Closes every session (shutdown). */
  closeAll(): Promise<void>;
  /** Requests in flight across all sessions. */
  inFlight(): number;
}

/** Creates an empty registry. */
export function createSessionRegistry(): SessionRegistry {
  const byId = new Map<string, SessionEntry>();
  const closeQuietly = (s: SessionEntry) => s.close().catch(() => undefined);
  return {
    add: (e) => void byId.set(e.id, e),
    get: (id) => byId.get(id),
    delete: (id) => void byId.delete(id),
    size: () => byId.size,
    countFor(principalId) {
      let n = 0;
      for (const s of byId.values()) if (s.principal.id === principalId) n++;
      return n;
    },
    counts() {
      const out: Record<SessionKind, number> = { streamable: 0, sse: 0 };
      for (const s of byId.values()) out[s.kind]++;
      return out;
    },
    async sweep(now, idleMs) {
      const stale = [...byId.values()].filter((s) => s.inFlight() === 0 && now - s.lastSeen > idleMs);
      for (const s of stale) byId.delete(s.id);
      await Promise.all(stale.map(closeQuietly));
      return stale.length;
    },
    async closeAll() {
      const all = [...byId.values()];
      byId.clear();
      await Promise.all(all.map(closeQuietly));
    },
    inFlight() {
      let n = 0;
      for (const s of byId.values()) n += s.inFlight();
      return n;
    },
  };
}
