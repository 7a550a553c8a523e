import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createHttpServer } from '../../src/server/http.js';
import { call, type HttpHarness, INITIALIZE, raw, startHttp, TOKEN_A, TOKEN_B } from './http-helpers.js';

let h: HttpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const TOKENS = `${TOKEN_A}=team-a,${TOKEN_B}=team-b`;

describe('streamable HTTP and SSE', () => {
  it('serves tool round trips over streamable HTTP without tokens on loopback', async () => {
    h = await startHttp();
    const c = await h.connect();
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain('remember');
    const r = await call(c, 'remember', { content: 'HTTP transport stores this', tags: ['http'] });
    const q = await call(c, 'query_memory', { query: 'HTTP transport' });
    expect(q.results[0]!.id).toBe(r.id);
    expect((await call(c, 'health_check')).namespace).toBe('default');
  });

  it('serves tool round trips over the legacy SSE transport', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const c = await h.connectSse(TOKEN_A);
    const r = await call(c, 'remember', { content: 'SSE clients still work' });
    const q = await call(c, 'query_memory', { query: 'SSE clients' });
    expect(q.results[0]!.id).toBe(r.id);
    expect(h.server.sessionCounts().sse).toBe(1);
    await c.close();
    await vi.waitFor(() => expect(h!.server.sessionCounts().sse).toBe(0));
  });

  it('keeps two tokens in their own namespaces', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const a = await h.connect(TOKEN_A);
    const b = await h.connectSse(TOKEN_B);
    await call(a, 'remember', { content: 'the launch code is swordfish' });
    expect((await call(a, 'query_memory', { query: 'launch code' })).count).toBe(1);
    expect((await call(b, 'query_memory', { query: 'launch code' })).count).toBe(0);
    expect((await call(a, 'health_check')).namespace).toBe('team-a');
    expect((await call(b, 'health_check')).namespace).toBe('team-b');
  });

  it('does not let one token use a session another token opened', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const init = await raw(h.base, '/mcp', { method: 'POST', body: INITIALIZE, headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(init.status).toBe(200);
    const sid = String(init.headers['mcp-session-id']);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const asB = await raw(h.base, '/mcp', {
      method: 'POST',
      body: list,
      headers: { authorization: `Bearer ${TOKEN_B}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
    });
    expect(asB.status).toBe(404);
    const asA = await raw(h.base, '/mcp', {
      method: 'POST',
      body: list,
      headers: { authorization: `Bearer ${TOKEN_A}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
    });
    expect(asA.status).toBe(200);
  });

  it('answers 400 without a session id on a non-initialize request and 404 for an unknown one', async () => {
    h = await startHttp();
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const missing = await raw(h.base, '/mcp', { method: 'POST', body: list });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.message).toMatch(/Mcp-Session-Id header is required/);
    const unknown = await raw(h.base, '/mcp', { method: 'POST', body: list, headers: { 'mcp-session-id': 'no-such-session' } });
    expect(unknown.status).toBe(404);
    expect((await raw(h.base, '/messages?sessionId=nope', { method: 'POST', body: list })).status).toBe(404);
  });

  it('ends a session on DELETE', async () => {
    h = await startHttp();
    const c = await h.connect();
    expect(h.server.sessionCounts().streamable).toBe(1);
    expect(c.transport).toBeInstanceOf(StreamableHTTPClientTransport);
    await (c.transport as StreamableHTTPClientTransport).terminateSession();
    expect(h.server.sessionCounts().streamable).toBe(0);
  });
});

describe('security', () => {
  it('answers 401 for a missing or wrong token, with a Bearer challenge', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const none = await raw(h.base, '/mcp', { method: 'POST', body: INITIALIZE });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="cairn"');
    const wrong = await raw(h.base, '/mcp', { method: 'POST', body: INITIALIZE, headers: { authorization: 'Bearer not-a-real-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/invalid_token/);
    expect((await raw(h.base, '/sse', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await raw(h.base, '/metrics')).status).toBe(401);
    await expect(h.connect('wrong-token-wrong-token')).rejects.toThrow(/401|Unauthorized/);
    await expect(h.connectSse()).rejects.toThrow(/401|Unauthorized/);
    expect(h.app.metrics.counters().get('auth_failures')).toBeGreaterThanOrEqual(5);
  });

  it('never writes a token to the log', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS, CAIRN_RATE_WRITES: '1' }, captureLogs: true });
    const c = await h.connect(TOKEN_A);
    await call(c, 'remember', { content: 'one' });
    await raw(h.base, '/mcp', { method: 'POST', body: INITIALIZE, headers: { authorization: `Bearer ${TOKEN_B}x` } });
    for (let i = 0; i < 3; i++) await c.callTool({ name: 'remember', arguments: { content: `spam ${i}` } }).catch(() => undefined);
    const all = h.logs.join('');
    expect(all).toMatch(/unauthorised request/);
    expect(all).toMatch(/rate limited/);
    expect(all).not.toContain(TOKEN_A);
    expect(all).not.toContain(TOKEN_B);
  });

  it('answers 403 to a foreign Host or Origin (DNS rebinding) before authentication', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const host = await raw(h.base, '/mcp', { method: 'POST', body: INITIALIZE, headers: { host: 'evil.example:8765', authorization: `Bearer ${TOKEN_A}` } });
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).error.message).toMatch(/Host "evil.example:8765" is not accepted/);
    const origin = await raw(h.base, '/mcp', {
      method: 'POST',
      body: INITIALIZE,
      headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN_A}` },
    });
    expect(origin.status).toBe(403);
    expect((await raw(h.base, '/healthz', { headers: { host: 'evil.example' } })).status).toBe(403);
    const local = await raw(h.base, '/mcp', {
      method: 'POST',
      body: INITIALIZE,
      headers: { host: 'localhost:1234', origin: 'http://localhost:3000', authorization: `Bearer ${TOKEN_A}` },
    });
    expect(local.status).toBe(200);
  });

  it('answers CORS preflights for accepted origins only', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS, CAIRN_HTTP_ALLOWED_ORIGINS: 'https://app.example.com' } });
    const ok = await raw(h.base, '/mcp', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-headers']).toMatch(/authorization.*mcp-session-id/);
    const post = await raw(h.base, '/mcp', {
      method: 'POST',
      body: INITIALIZE,
      headers: { origin: 'https://app.example.com', authorization: `Bearer ${TOKEN_A}` },
    });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-expose-headers']).toMatch(/mcp-session-id/);
    expect((await raw(h.base, '/mcp', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('accepts configured extra hosts and origins', async () => {
    h = await startHttp({ env: { CAIRN_HTTP_ALLOWED_HOSTS: 'cairn.internal', CAIRN_HTTP_ALLOWED_ORIGINS: 'https://app.example.com' } });
    expect((await raw(h.base, '/healthz', { headers: { host: 'cairn.internal' } })).status).toBe(200);
    expect((await raw(h.base, '/healthz', { headers: { host: 'cairn.internal', origin: 'https://app.example.com' } })).status).toBe(200);
    expect((await raw(h.base, '/healthz', { headers: { host: 'cairn.internal', origin: 'https://other.example.com' } })).status).toBe(403);
  });

  it('answers 413 to an oversized body and keeps serving', async () => {
    h = await startHttp({ env: { CAIRN_HTTP_MAX_BODY_BYTES: '4096' } });
    const c = await h.connect();
    await expect(c.callTool({ name: 'remember', arguments: { content: 'x'.repeat(10_000) } })).rejects.toThrow(/413|Payload Too Large/);
    const big = await raw(h.base, '/mcp', { method: 'POST', body: JSON.stringify({ pad: 'y'.repeat(8000) }) });
    expect(big.status).toBe(413);
    expect(await call(c, 'remember', { content: 'small is fine' })).toMatchObject({ deduplicated: false });
  });

  it('rate-limits writes and reads separately per token with 429 and Retry-After', async () => {
    const clock = createManualClock();
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS, CAIRN_RATE_WRITES: '2', CAIRN_RATE_READS: '1000' }, clock });
    const seen: Response[] = [];
    const spy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push(res);
      return res;
    };
    const a = await h.connect(TOKEN_A, spy);
    // burst = 1.5 × 2 = 3 writes, then the bucket is empty until the clock moves
    for (let i = 0; i < 3; i++) await call(a, 'remember', { content: `write ${i}` });
    await expect(a.callTool({ name: 'remember', arguments: { content: 'one too many' } })).rejects.toThrow(/429|Too Many Requests/);
    const limited = seen.at(-1)!;
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    // reads draw on their own budget, and another token on its own
    expect((await call(a, 'query_memory', { query: 'write' })).count).toBe(3);
    const b = await h.connect(TOKEN_B);
    await call(b, 'remember', { content: 'bravo writes freely' });
    clock.advance(1000);
    await call(a, 'remember', { content: 'after waiting' });
    expect(h.app.metrics.counters().get('rate_limited_writes')).toBe(1);
  });

  it('refuses to bind a non-loopback address without tokens', async () => {
    h = await startHttp();
    expect(() => createHttpServer(h!.app, { http: { ...h!.app.config.http, host: '0.0.0.0' } })).toThrow(
      expect.toBeCairnError('CONFIG_INVALID', /^refusing to serve on 0.0.0.0 without authentication/),
    );
    expect(() => createHttpServer(h!.app, { http: { ...h!.app.config.http, host: '192.168.1.10' } })).toThrow(expect.toBeCairnError('CONFIG_INVALID'));
  });
});

describe('sessions and lifecycle', () => {
  it('closes idle sessions; a request on an expired session gets 404 and a new session works', async () => {
    const clock = createManualClock();
    h = await startHttp({ env: { CAIRN_SESSION_IDLE_SECONDS: '60' }, clock });
    const c = await h.connect();
    await call(c, 'remember', { content: 'before expiry' });
    clock.advance(30_000);
    expect(await h.server.sweepIdle()).toBe(0);
    await call(c, 'health_check');
    clock.advance(61_000);
    expect(await h.server.sweepIdle()).toBe(1);
    expect(h.server.sessionCounts().streamable).toBe(0);
    await expect(c.callTool({ name: 'health_check', arguments: {} })).rejects.toThrow(/404|Session not found/);
    const fresh = await h.connect();
    expect((await call(fresh, 'query_memory', { query: 'before expiry' })).count).toBe(1);
    expect(h.app.metrics.counters().get('sessions_expired')).toBe(1);
  });

  it('finishes a call in flight on shutdown, refuses new work meanwhile, then closes sessions', async () => {
    h = await startHttp();
    const c = await h.connect();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const remember = h.app.memory.remember.bind(h.app.memory);
    h.app.memory.remember = async (ns, input) => {
      await gate;
      return remember(ns, input);
    };
    const pending = call(c, 'remember', { content: 'acknowledged during shutdown' });
    await vi.waitFor(() => expect(h!.server.inFlight()).toBe(1));
    const closing = h.server.close(10_000);
    const refused = await raw(h.base, '/healthz').catch((err: Error) => ({ status: 0, error: err }));
    expect([0, 503]).toContain(refused.status);
    release();
    const r = await pending;
    expect(r.deduplicated).toBe(false);
    expect(await closing).toEqual({ drained: true });
    expect(h.server.sessionCounts()).toEqual({ streamable: 0, sse: 0 });
    expect((await h.app.memory.get('default', r.id)).content).toBe('acknowledged during shutdown');
  });
});

describe('health, readiness and metrics endpoints', () => {
  it('reports liveness, readiness and Prometheus metrics', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const c = await h.connect(TOKEN_A);
    await call(c, 'remember', { content: 'counted' });
    await c.callTool({ name: 'forget', arguments: { id: 'no-such-id' } });
    const live = await raw(h.base, '/healthz');
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body).status).toBe('ok');
    const ready = await raw(h.base, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'ready',
      db: { ok: true, breaker: 'closed' },
      embedder: { status: 'hashing' },
      sessions: { streamable: 1, sse: 0 },
    });
    const m = await raw(h.base, '/metrics', { headers: { authorization: `Bearer ${TOKEN_B}` } });
    expect(m.status).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(m.body).toMatch(/^cairn_tool_calls_total\{tool="remember"\} 1$/m);
    expect(m.body).toMatch(/^cairn_tool_errors_total\{tool="forget"\} 1$/m);
    expect(m.body).toMatch(/^cairn_tool_duration_seconds_bucket\{tool="remember",le="\+Inf"\} 1$/m);
    expect(m.body).toMatch(/^cairn_sessions\{transport="streamable"\} 1$/m);
    expect(m.body).toMatch(/^cairn_http_requests_total\{route="\/mcp",code="200"\} \d+$/m);
    expect(m.body).toMatch(/^cairn_cache_hits_total \d+$/m);
    expect(m.body).toMatch(/^cairn_db_size_bytes \d+$/m);
    expect(m.body).toMatch(/^cairn_db_breaker_state\{state="closed"\} 1$/m);
    expect(m.body).toMatch(/^cairn_events_total\{event="sessions_opened"\} 1$/m);
    expect(m.body).toMatch(/^cairn_embedder_status\{status="hashing",active="hashing[^"]*"\} 1$/m);
    // every sample line is `name{labels} number`
    for (const line of m.body
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
  });
});
