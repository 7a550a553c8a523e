import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALL_TOOLS } from '../../tools/index.js';
import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import { type HttpConfig, isLoopback } from '../config/http.js';
import { CairnError } from '../errors.js';
import type { UiHandler } from '../ui/index.js';
import { rateNeeds, rpcMessages } from './admission.js';
import { createAuthenticator, type Principal } from './auth.js';
import { readBody } from './body.js';
import { createHostCheck } from './host-check.js';
import { limitConnections, serverOptions, streamPingMs } from './http-limits.js';
import { RPC, sendJson, sendRpcError } from './http-reply.js';
import { createHttpStats, type Route, routeOf } from './http-stats.js';
import { openSseSession, openStreamableSession } from './mcp-sessions.js';
import { readiness } from './probes.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.js';
import { createRateLimiter } from './rate-limit.js';
import { checkRpcBody } from './rpc-guard.js';
import { createSessionQuota } from './session-quota.js';
import { createSessionRegistry, type SessionEntry, type SessionKind } from './sessions.js';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  /** Default `app.config.http`. */
  http?: HttpConfig;
  /** Clock for session idleness and rate limits. Default `app.clock`. */
  clock?: Clock;
  /** How often idle sessions are swept, ms; 0 turns the timer off (call `sweepIdle`). Default min(60 s, idle / 2). */
  sweepEveryMs?: number;
}

/** A running (or ready to run) Cairn HTTP server. */
export interface CairnHttpServer {
  /** Binds and starts accepting; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /** Closes sessions idle for longer than the configured idle time; returns how many. */
  sweepIdle(): Promise<number>;
  sessionCounts(): Record<SessionKind, number>;
  /** MCP requests received and not yet answered, across sessions. */
  inFlight(): number;
  /**
   * Graceful stop: refuse new connections and requests (503), wait up to `graceMs` (default the
   * configured grace) for in-flight calls to be answered, then close every session and socket.
   * Does not close the app. Idempotent.
   */
  close(graceMs?: number): Promise<{ drained: boolean }>;
}

/**
 * One node:http server for streamable HTTP (`/mcp`), legacy SSE (`/sse` + `/messages`),
 * `/healthz`, `/readyz` and `/metrics`. Safe by default: refuses a non-loopback bind without
 * tokens, validates Host and Origin, limits bodies, answers malformed JSON-RPC with an error,
 * rate-limits each token's reads and writes, caps sessions globally and per token, and bounds
 * connections (count, header/request/idle timeouts; event streams keep themselves alive).
 */
export function createHttpServer(app: App, options: HttpServerOptions = {}): CairnHttpServer {
  const cfg = options.http ?? app.config.http;
  if (!isLoopback(cfg.host) && cfg.tokens.length === 0) {
    throw new CairnError(
      'CONFIG_INVALID',
      `refusing to serve on ${cfg.host} without authentication: set CAIRN_TOKENS (token=namespace,… or @/path/to/file), or bind 127.0.0.1`,
    );
  }
  const clock = options.clock ?? app.clock;
  const logger = app.logger.child({ component: 'http' });
  const auth = createAuthenticator(cfg.tokens, app.config.namespace);
  const hostCheck = createHostCheck(cfg.host, cfg.allowedHosts, cfg.allowedOrigins);
  const limiter = createRateLimiter({ reads: cfg.rateReads, writes: cfg.rateWrites }, clock);
  const sessions = createSessionRegistry();
  const stats = createHttpStats();
  const readOnly = new Map(ALL_TOOLS.map((t) => [t.name, t.annotations.readOnlyHint]));
  const deps = { app, sessions, now: () => clock.now(), streamPingMs: streamPingMs(cfg) };
  const quota = createSessionQuota(sessions, cfg);
  let closing: Promise<{ drained: boolean }> | null = null;
  // The dashboard loads on its first request, so serving MCP never pays for it.
  let dashboard: Promise<UiHandler> | undefined;
  const ui = () => (dashboard ??= import('../ui/index.js').then((m) => m.createUiForServer(app, auth, clock)));
  let sweeper: NodeJS.Timeout | undefined;

  const server: Server = createServer(serverOptions(cfg), (req, res) => {
    const t0 = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routeOf(url.pathname);
    res.once('close', () => stats.record(route, res.statusCode, performance.now() - t0));
    handle(req, res, url, route).catch((err) => {
      logger.error('request failed', { route, method: req.method, err });
      if (!res.headersSent) sendRpcError(res, 500, RPC.serverError, 'internal server error; the server log has details');
      else res.end();
    });
  });
  limitConnections(server, cfg, app.metrics);

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, route: Route): Promise<void> {
    if (closing) return sendJson(res, 503, { error: 'server is shutting down' }, { connection: 'close', 'retry-after': '5' });
    const refused = hostCheck.check(req.headers.host, header(req, 'origin'));
    if (refused) {
      app.metrics.bump('host_rejected');
      logger.warn('request refused', { route, reason: refused });
      return sendRpcError(res, 403, RPC.serverError, `Forbidden: ${refused}`);
    }
    // Browser clients: an Origin that passed the check above gets CORS headers and preflights.
    const origin = header(req, 'origin');
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version, www-authenticate, retry-after');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (route === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok', uptime_s: Math.round((clock.now() - app.startedAt) / 1000) });
    if (route === '/readyz' && req.method === 'GET') {
      const r = await readiness(app, sessions.counts());
      return sendJson(res, r.status, r.body);
    }
    if (route === '/ui') return (await ui()).handle(req, res, url);
    if (route === 'other')
      return sendJson(res, 404, { error: `no route ${url.pathname}; MCP is served at /mcp (streamable HTTP) and /sse (legacy), the dashboard at /ui/` });

    const principal = authenticate(req, res, route);
    if (!principal) return;
    if (route === '/metrics') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' }, { allow: 'GET' });
      const text = renderPrometheus(app, { sessions: sessions.counts(), inFlight: sessions.inFlight(), stats });
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
      return void res.end(text);
    }
    if (route === '/mcp') return streamable(req, res, principal);
    if (route === '/sse') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET /sse to open a stream' }, { allow: 'GET' });
      await withSessionSlot(principal, res, () => openSseSession(deps, principal, res));
      return;
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST /messages?sessionId=…' }, { allow: 'POST' });
    const sid = url.searchParams.get('sessionId');
    if (!sid) return sendRpcError(res, 400, RPC.invalidRequest, 'Bad Request: sessionId query parameter is required');
    const session = lookup(sid, principal, 'sse', res);
    if (!session) return;
    const body = await readJson(req, res);
    if (body === undefined || !admit(principal, body, res)) return;
    session.lastSeen = clock.now();
    await session.handle(req, res, body);
  }

  async function streamable(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
    const sid = header(req, 'mcp-session-id');
    if (req.method === 'POST') {
      const body = await readJson(req, res);
      if (body === undefined) return;
      if (!sid) {
        if (!rpcMessages(body).some((m) => m.method === 'initialize')) {
          return sendRpcError(res, 400, RPC.invalidRequest, 'Bad Request: Mcp-Session-Id header is required; a session starts with an initialize request');
        }
        if (!admit(principal, body, res)) return;
        await withSessionSlot(principal, res, () => openStreamableSession(deps, principal, req, res, body));
        return;
      }
      const session = lookup(sid, principal, 'streamable', res);
      if (!session || !admit(principal, body, res)) return;
      session.lastSeen = clock.now();
      return session.handle(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!sid) return sendRpcError(res, 400, RPC.invalidRequest, 'Bad Request: Mcp-Session-Id header is required');
      const session = lookup(sid, principal, 'streamable', res);
      if (!session) return;
      session.lastSeen = clock.now();
      return session.handle(req, res, undefined);
    }
    sendJson(res, 405, { error: 'use POST, GET or DELETE on /mcp' }, { allow: 'GET, POST, DELETE' });
  }

  function authenticate(req: IncomingMessage, res: ServerResponse, route: Route): Principal | null {
    const r = auth.check(header(req, 'authorization'));
    if (r.ok) return r.principal;
    app.metrics.bump('auth_failures');
    logger.warn('unauthorised request', { route, reason: r.reason, remote: req.socket.remoteAddress });
    const challenge = r.reason === 'invalid' ? 'Bearer realm="cairn", error="invalid_token"' : 'Bearer realm="cairn"';
    sendRpcError(
      res,
      401,
      RPC.serverError,
      r.reason === 'invalid' ? 'Unauthorized: the bearer token is not valid' : 'Unauthorized: send Authorization: Bearer <token>',
      {
        'www-authenticate': challenge,
      },
    );
    return null;
  }

  // A session is only reachable with the token that opened it: anyone else is told it does not exist.
  function lookup(id: string, principal: Principal, kind: SessionKind, res: ServerResponse): SessionEntry | undefined {
    const s = sessions.get(id);
    if (s && s.kind === kind && s.principal.id === principal.id) return s;
    sendRpcError(res, 404, RPC.sessionNotFound, 'Session not found; it may have expired — start a new one with initialize');
    return undefined;
  }

  async function withSessionSlot(principal: Principal, res: ServerResponse, open: () => Promise<unknown>): Promise<void> {
    const slot = quota.reserve(principal.id);
    if (!slot.ok && slot.refused === 'server') {
      app.metrics.bump('sessions_refused');
      return sendRpcError(res, 503, RPC.serverError, `too many open sessions (${cfg.maxSessions}, CAIRN_HTTP_MAX_SESSIONS); try again later`, {
        'retry-after': '30',
      });
    }
    if (!slot.ok) {
      app.metrics.bump('sessions_refused_per_token');
      logger.info('session refused: per-token cap', { principal: principal.id, cap: cfg.maxSessionsPerToken });
      const msg = `Too Many Requests: this token already has ${cfg.maxSessionsPerToken} open sessions (CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN); end one (DELETE /mcp) or wait for idle ones to expire`;
      return sendRpcError(res, 429, RPC.serverError, msg, { 'retry-after': '30' });
    }
    try {
      await open();
    } finally {
      slot.release();
    }
  }

  // Charges each request in the body to its token's read or write budget (by the tool's readOnlyHint).
  function admit(principal: Principal, body: unknown, res: ServerResponse): boolean {
    const need = rateNeeds(body, readOnly);
    for (const cls of ['write', 'read'] as const) {
      if (need[cls] === 0) continue;
      const d = limiter.take(principal.id, cls, need[cls]);
      if (!d.ok) {
        app.metrics.bump(`rate_limited_${cls}s`);
        logger.info('rate limited', { principal: principal.id, class: cls });
        const first = rpcMessages(body).find((m) => m.id !== undefined)?.id ?? null;
        sendRpcError(
          res,
          429,
          RPC.serverError,
          `Too Many Requests: the ${cls} rate limit for this token is exhausted; retry after ${d.retryAfterS} s`,
          { 'retry-after': String(d.retryAfterS) },
          first as string | number | null,
        );
        return false;
      }
    }
    return true;
  }

  // The body as JSON with every message valid JSON-RPC, or undefined once an error was sent.
  async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const body = await readBody(req, cfg.maxBodyBytes);
    if (!body.ok) {
      if (body.status === 413) app.metrics.bump('body_too_large');
      sendRpcError(
        res,
        body.status,
        RPC.serverError,
        body.status === 413 ? `Payload Too Large: ${body.message}` : body.message,
        body.status === 413 ? { connection: 'close' } : {},
      );
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text) as unknown;
    } catch {
      sendRpcError(res, 400, RPC.parseError, 'Parse error: the body is not valid JSON');
      return undefined;
    }
    // The SDK answers a malformed message with a bare parse error without its id (over SSE, with plain text).
    const refused = checkRpcBody(parsed);
    if (!refused) return parsed;
    app.metrics.bump('messages_refused');
    logger.info('message refused', { problems: refused.problems.slice(0, 3) });
    sendJson(res, 400, refused.reply);
    return undefined;
  }

  return {
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          reject(new CairnError('CONFIG_INVALID', `cannot listen on ${cfg.host}:${cfg.port} (${err.code ?? err.message})`, { cause: err }));
        });
        server.listen(cfg.port, cfg.host, () => {
          const a = server.address() as AddressInfo;
          const every = options.sweepEveryMs ?? Math.min(60_000, Math.max(1_000, cfg.sessionIdleMs / 2));
          if (every > 0) sweeper = setInterval(() => void sweepIdle(), every).unref();
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          logger.info('cairn serving on http', {
            url: `http://${host}:${a.port}/mcp`,
            auth: auth.required ? `${cfg.tokens.length} token(s)` : 'none (loopback only)',
            hosts: hostCheck.hosts,
          });
          resolve({ host: a.address, port: a.port, url: `http://${host}:${a.port}` });
        });
      });
    },
    sweepIdle,
    sessionCounts: () => sessions.counts(),
    inFlight: () => sessions.inFlight(),
    close(graceMs = cfg.shutdownGraceMs) {
      closing ??= (async () => {
        if (sweeper) clearInterval(sweeper);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const drained = await waitForDrain(graceMs);
        if (!drained) logger.warn('shutdown grace period over; closing sessions with calls still running', { in_flight: sessions.inFlight() });
        await sessions.closeAll();
        server.closeAllConnections();
        await stopped;
        return { drained };
      })();
      return closing;
    },
  };

  async function sweepIdle(): Promise<number> {
    const n = await sessions.sweep(clock.now(), cfg.sessionIdleMs);
    if (n > 0) {
      app.metrics.bump('sessions_expired', n);
      logger.info('closed idle sessions', { count: n });
    }
    return n;
  }

  async function waitForDrain(graceMs: number): Promise<boolean> {
    const deadline = performance.now() + graceMs;
    while (sessions.inFlight() > 0) {
      if (performance.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
