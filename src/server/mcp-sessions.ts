import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { App } from '../app.js';
import type { Principal } from './auth.js';
import { type InFlight, trackInFlight } from './inflight.js';
import { createMcpServer } from './mcp.js';
import type { SessionEntry, SessionRegistry } from './sessions.js';

/** What opening a session needs. */
export interface SessionFactoryDeps {
  app: App;
  sessions: SessionRegistry;
  now: () => number;
  /** How often an idle event stream sends a keep-alive comment, ms (keeps it inside the idle timeout). */
  streamPingMs: number;
}

/** A session transport created for a request, and whether it ended up registered. */
export interface OpenedSession {
  entry: SessionEntry | undefined;
}

/**
 * Opens a streamable-HTTP session from an `initialize` POST: a fresh McpServer bound to the
 * principal's namespace, registered under the id the transport generates once initialisation
 * succeeds. A failed initialisation leaves nothing behind.
 */
export async function openStreamableSession(
  deps: SessionFactoryDeps,
  principal: Principal,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<OpenedSession> {
  const server = createMcpServer(deps.app, { namespace: principal.namespace });
  let entry: SessionEntry | undefined;
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    keepAliveMs: deps.streamPingMs,
    onsessioninitialized: (id) => {
      entry = {
        id,
        kind: 'streamable',
        principal,
        lastSeen: deps.now(),
        inFlight: () => tracker.count(),
        close: () => server.close(),
        handle: (q, s, b) => transport.handleRequest(q, s, b),
      };
      deps.sessions.add(entry);
      deps.app.metrics.bump('sessions_opened');
    },
  });
  transport.onclose = () => {
    if (transport.sessionId) deps.sessions.delete(transport.sessionId);
  };
  await server.connect(transport);
  const tracker = trackInFlight(transport, server);
  await transport.handleRequest(req, res, body);
  if (!entry) await server.close().catch(() => undefined);
  return { entry };
}

/**
 * Opens a legacy SSE session for `GET /sse`: the response becomes the event stream and the client
 * is told to POST its messages to `/messages?sessionId=…`. Closing the stream ends the session.
 * The stream carries a keep-alive comment every `deps.streamPingMs`.
 */
export async function openSseSession(deps: SessionFactoryDeps, principal: Principal, res: ServerResponse): Promise<SessionEntry> {
  const server = createMcpServer(deps.app, { namespace: principal.namespace });
  const transport = new SSEServerTransport('/messages', res);
  let tracker: InFlight | undefined;
  const entry: SessionEntry = {
    id: transport.sessionId,
    kind: 'sse',
    principal,
    lastSeen: deps.now(),
    inFlight: () => tracker?.count() ?? 0,
    close: () => server.close(),
    handle: (q, s, b) => transport.handlePostMessage(q, s, b),
  };
  deps.sessions.add(entry);
  deps.app.metrics.bump('sessions_opened');
  transport.onclose = () => deps.sessions.delete(entry.id);
  let ping: NodeJS.Timeout | undefined;
  res.on('close', () => {
    clearInterval(ping);
    void server.close().catch(() => undefined);
  });
  await server.connect(transport);
  tracker = trackInFlight(transport, server);
  // The SDK's SSE transport sends nothing between messages: a comment line keeps the stream inside the idle timeout.
  if (!res.destroyed) {
    ping = setInterval(() => {
      if (!res.writableEnded) res.write(': keepalive\n\n');
    }, deps.streamPingMs);
    ping.unref();
  }
  return entry;
}
