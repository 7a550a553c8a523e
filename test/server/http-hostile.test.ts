import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/analysis/types.js';
import { call, type HttpHarness, INITIALIZE, raw, startHttp, TOKEN_A, TOKEN_B } from './http-helpers.js';

let h: HttpHarness | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await h?.close();
  h = undefined;
});
const TOKENS = `${TOKEN_A}=team-a,${TOKEN_B}=team-b`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const MCP_HEADERS = { 'mcp-protocol-version': '2025-06-18' };

/** A raw TCP connection to the server, recording what it receives and when it is closed. */
function open(base: string): { socket: Socket; data: () => string; closed: Promise<{ afterMs: number; data: string }> } {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  const t0 = performance.now();
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    data += d;
  });
  socket.on('error', () => undefined);
  const closed = new Promise<{ afterMs: number; data: string }>((resolve) => socket.on('close', () => resolve({ afterMs: performance.now() - t0, data })));
  return { socket, data: () => data, closed };
}

/** Resolves with `fallback` unless `p` settles first within `ms`. */
const within = <T, F>(p: Promise<T>, ms: number, fallback: F) => Promise.race([p, new Promise<F>((r) => setTimeout(() => r(fallback), ms))]);

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++]!);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

async function initSession(base: string, token?: string): Promise<{ status: number; sid: string; body: string }> {
  const r = await raw(base, '/mcp', { method: 'POST', body: INITIALIZE, headers: token ? bearer(token) : {} });
  return { status: r.status, sid: String(r.headers['mcp-session-id']), body: r.body };
}

describe('malformed JSON-RPC over HTTP gets an answer with its id', () => {
  it('streamable HTTP: params that are not an object → 400 with an Invalid params error for that id', async () => {
    h = await startHttp();
    const { sid } = await initSession(h.base);
    const bad = await raw(h.base, '/mcp', {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":"str"}',
      headers: { 'mcp-session-id': sid, ...MCP_HEADERS },
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: { code: -32602, message: 'Invalid params: params of tools/call must be an object (got string)' },
    });
    const extra = await raw(h.base, '/mcp', {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":"x","method":"ping","oops":1}',
      headers: { 'mcp-session-id': sid, ...MCP_HEADERS },
    });
    expect(JSON.parse(extra.body)).toMatchObject({ id: 'x', error: { code: -32600, message: expect.stringMatching(/unexpected member "oops"/) } });
    const batch = await raw(h.base, '/mcp', {
      method: 'POST',
      body: '[{"jsonrpc":"2.0","id":7,"method":"ping"},{"jsonrpc":"2.0","id":8,"method":"tools/list","params":5}]',
      headers: { 'mcp-session-id': sid, ...MCP_HEADERS },
    });
    expect(batch.status).toBe(400);
    expect(JSON.parse(batch.body)).toEqual([
      { jsonrpc: '2.0', id: 8, error: { code: -32602, message: 'Invalid params: params of tools/list must be an object (got number)' } },
    ]);
    // and the session still works
    const ok = await raw(h.base, '/mcp', {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":9,"method":"ping"}',
      headers: { 'mcp-session-id': sid, ...MCP_HEADERS },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/"id":9/);
  });

  it('legacy SSE: a malformed POST /messages is answered with a JSON-RPC error (not plain text)', async () => {
    h = await startHttp();
    const stream = open(h.base);
    stream.socket.write('GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    await expect.poll(() => /sessionId=([\w-]+)/.exec(stream.data())?.[1]).toBeTruthy();
    const sid = /sessionId=([\w-]+)/.exec(stream.data())![1]!;
    const bad = await raw(h.base, `/messages?sessionId=${sid}`, { method: 'POST', body: '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"str"}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32602 } });
  });

  it('the largest analysis the schema accepts fits the default 1 MiB body; a bigger body gets 413 naming the limit', async () => {
    h = await startHttp();
    const c = await h.connect();
    const per = LIMITS.maxTotalPoints / LIMITS.maxSeries;
    // Full-precision doubles: the longest JSON numbers a client is likely to send.
    const data = Object.fromEntries(
      Array.from({ length: LIMITS.maxSeries }, (_, k) => [`series_${k}`, Array.from({ length: per }, (_, i) => -Math.sin(i + k) * 1e-7)]),
    );
    expect(JSON.stringify(data).length).toBeLessThan(1024 ** 2);
    const out = await call(c, 'advanced_pattern_analysis', { analysis_type: 'statistical', time_series_data: data });
    expect(out.series).toHaveLength(LIMITS.maxSeries);
    const tooBig = { a: Array.from({ length: 100_000 }, (_, i) => i + 0.123456789) };
    await expect(c.callTool({ name: 'advanced_pattern_analysis', arguments: { analysis_type: 'statistical', time_series_data: tooBig } })).rejects.toThrow(
      /Payload Too Large: request body of \d+ bytes exceeds the limit of 1048576 bytes \(CAIRN_HTTP_MAX_BODY_BYTES\)/,
    );
    expect((await call(c, 'health_check')).status).toBe('healthy');
  });
});

describe('sessions are capped per token as well as in all', () => {
  it('one token at its cap gets 429 while another token still opens sessions; the global cap answers 503', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS, CAIRN_HTTP_MAX_SESSIONS: '3', CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN: '2' } });
    expect((await initSession(h.base, TOKEN_A)).status).toBe(200);
    expect((await initSession(h.base, TOKEN_A)).status).toBe(200);
    const third = await initSession(h.base, TOKEN_A);
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).error.message).toMatch(/this token already has 2 open sessions \(CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN\)/);
    const b = await h.connect(TOKEN_B);
    expect((await call(b, 'health_check')).namespace).toBe('team-b');
    const full = await initSession(h.base, TOKEN_B);
    expect(full.status).toBe(503);
    expect(JSON.parse(full.body).error.message).toMatch(/too many open sessions \(3, CAIRN_HTTP_MAX_SESSIONS\)/);
    // the SSE transport counts against the same caps
    const sse = await raw(h.base, '/sse', { headers: bearer(TOKEN_A) });
    expect(sse.status).toBe(503);
    expect(h.app.metrics.counters().get('sessions_refused_per_token')).toBe(1);
  });

  it('concurrent opens stay within the per-token cap', async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS, CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN: '2' } });
    const results = await Promise.all(Array.from({ length: 6 }, () => initSession(h!.base, TOKEN_A)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 429, 429, 429, 429]);
    expect(h.server.sessionCounts().streamable).toBe(2);
  });

  it('per-token cap defaults to 100 and never exceeds the global cap', async () => {
    h = await startHttp({ env: { CAIRN_HTTP_MAX_SESSIONS: '50' } });
    expect(h.app.config.http.maxSessionsPerToken).toBe(50);
  });
});

describe('connections are bounded in time and number (real sockets)', () => {
  const env = {
    CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS: '0.3',
    CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS: '0.6',
    CAIRN_HTTP_KEEPALIVE_TIMEOUT_SECONDS: '0.2',
    CAIRN_HTTP_IDLE_TIMEOUT_SECONDS: '0.4',
  };

  it('closes a connection that sends nothing, or its headers too slowly, with 408', async () => {
    h = await startHttp({ env });
    const silent = open(h.base);
    const slowHeaders = open(h.base);
    trickle(slowHeaders.socket, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n', 50);
    for (const c of [silent, slowHeaders]) {
      const r = await within(c.closed, 5_000, null);
      expect(r, 'connection still open after 5 s').not.toBeNull();
      expect(r!.data).toMatch(/^HTTP\/1\.1 408/);
      expect(r!.afterMs).toBeLessThan(3_000);
    }
  });

  it('closes a slow-body client (one byte every 100 ms) once the request timeout is over, and keeps serving others', async () => {
    h = await startHttp({ env });
    const slow = open(h.base);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
    slow.socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(slow.socket, body, 100);
    const r = await within(slow.closed, 5_000, null);
    expect(r, 'slow-body connection still open after 5 s').not.toBeNull();
    expect(r!.data).toMatch(/^HTTP\/1\.1 408/);
    expect(r!.afterMs).toBeGreaterThanOrEqual(500);
    expect((await raw(h.base, '/healthz')).status).toBe(200);
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    h = await startHttp({ env });
    const c = open(h.base);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const r = await within(c.closed, 5_000, null);
    expect(r, 'idle keep-alive connection still open after 5 s').not.toBeNull();
    expect(r!.data).toMatch(/^HTTP\/1\.1 200/);
  });

  it('keeps event streams open past the idle timeout with keep-alive comments, and calls on them work', async () => {
    h = await startHttp({ env });
    const sse = open(h.base);
    sse.socket.write('GET /sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    const { sid } = await initSession(h.base);
    const get = open(h.base);
    get.socket.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${sid}\r\nMcp-Protocol-Version: 2025-06-18\r\n\r\n`);
    const c = await h.connect();
    await new Promise((r) => setTimeout(r, 1_500));
    for (const stream of [sse, get]) {
      expect(stream.socket.destroyed).toBe(false);
      expect(stream.data()).toMatch(/^HTTP\/1\.1 200/);
      expect(stream.data().match(/: keepalive/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    }
    expect((await call(c, 'health_check')).status).toBe('healthy');
    const viaSse = await h.connectSse();
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await call(viaSse, 'remember', { content: 'after a quiet second on SSE' })).deduplicated).toBe(false);
    // a call that computes for longer than the idle timeout: its response stream pings meanwhile
    const busy = 'const t = Date.now(); while (Date.now() - t < 1200) {} "done"';
    for (const client of [c, viaSse])
      expect(await call(client, 'execute_agent_code', { code: busy, context: { task: 'wait' } })).toMatchObject({ status: 'success', result: 'done' });
  });

  it('refuses connections over CAIRN_HTTP_MAX_CONNECTIONS at once, closes silent ones after the idle timeout, and counts both on /metrics', async () => {
    h = await startHttp({ env: { CAIRN_HTTP_MAX_CONNECTIONS: '2', CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS: '5', CAIRN_HTTP_IDLE_TIMEOUT_SECONDS: '0.5' } });
    const first = open(h.base);
    const second = open(h.base);
    await new Promise((r) => setTimeout(r, 100));
    const third = open(h.base);
    const refused = await within(third.closed, 1_000, null);
    expect(refused, 'the connection over the limit was accepted').not.toBeNull();
    expect(refused!.data).toBe('');
    // silent for longer than the idle timeout (the headers timeout is longer): closed without an answer
    for (const c of [first, second]) {
      const r = await within(c.closed, 4_000, null);
      expect(r, 'silent connection still open after 4 s').not.toBeNull();
      expect(r!.afterMs).toBeLessThan(3_000);
    }
    const m = await raw(h.base, '/metrics');
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^cairn_events_total\{event="connections_dropped"\} 1$/m);
    expect(m.body).toMatch(/^cairn_events_total\{event="connections_timed_out"\} 2$/m);
  });
});

describe('get_metrics shows only the caller namespace', () => {
  it("one token never sees another token's tool calls; /metrics keeps the process-wide figures", async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: TOKENS } });
    const a = await h.connect(TOKEN_A);
    const b = await h.connect(TOKEN_B);
    for (let i = 0; i < 3; i++) await call(a, 'remember', { content: `alpha note ${i}` });
    await call(b, 'query_memory', { query: 'anything' });
    await b.callTool({ name: 'forget', arguments: { id: 'missing' } });
    const ma = await call(a, 'get_metrics');
    const mb = await call(b, 'get_metrics');
    expect(ma.tools.map((t) => [t.name, t.calls, t.errors])).toEqual([['remember', 3, 0]]);
    expect(mb.tools.map((t) => [t.name, t.calls, t.errors]).sort()).toEqual([
      ['forget', 1, 1],
      ['query_memory', 1, 0],
    ]);
    expect(ma.tools[0]!.p50_ms).not.toBeNull();
    const m = await raw(h.base, '/metrics', { headers: bearer(TOKEN_A) });
    expect(m.body).toMatch(/^cairn_tool_calls_total\{tool="remember"\} 3$/m);
    expect(m.body).toMatch(/^cairn_tool_calls_total\{tool="query_memory"\} 1$/m);
    expect(m.body).toMatch(/^cairn_tool_calls_total\{tool="get_metrics"\} 2$/m);
  });
});
