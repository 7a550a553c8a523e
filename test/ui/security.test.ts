import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/client.js';
import { CLI } from '../helpers/stdio.js';
import { call, type HttpHarness, raw, startHttp, TOKEN_A, TOKEN_B } from '../server/http-helpers.js';

const cookieOf = (headers: Record<string, string | string[] | undefined>): string => String([headers['set-cookie']].flat()[0] ?? '').split(';')[0]!;
const csrfOf = (body: string): string => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('dashboard security over HTTP with tokens', () => {
  let h: HttpHarness;
  let host: string;
  beforeAll(async () => {
    h = await startHttp({ env: { CAIRN_TOKENS: `${TOKEN_A}=alice,${TOKEN_B}=bob` } });
    host = new URL(h.base).host;
  });
  afterAll(() => h.close());

  const signIn = async (token: string) => {
    const res = await raw(h.base, `/ui/login?token=${token}`);
    expect(res.status).toBe(303);
    return cookieOf(res.headers);
  };

  it('refuses pages without a session and a wrong token, with the strict CSP on every answer', async () => {
    const none = await raw(h.base, '/ui/memories');
    expect(none.status).toBe(401);
    expect(none.body).toContain('Sign in to Cairn');
    expect(none.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(none.headers['x-frame-options']).toBe('DENY');
    const wrong = await raw(h.base, '/ui/login?token=bravo-token-0123456789abcdeX');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const forged = await raw(h.base, '/ui/memories', { headers: { cookie: 'cairn_ui_1=made-up; cairn_ui_' + new URL(h.base).port + '=made-up' } });
    expect(forged.status).toBe(401);
    const bearer = await raw(h.base, '/ui/memories', { headers: { authorization: `Bearer ${TOKEN_A}` } });
    expect(bearer.status).toBe(401);
  });

  it('gives an HttpOnly SameSite=Strict cookie for a right token, and the token never appears in the page', async () => {
    const res = await raw(h.base, `/ui/login?token=${TOKEN_A}`);
    expect(String([res.headers['set-cookie']].flat()[0])).toMatch(/^cairn_ui_\d+=[\w-]{40,}; Path=\/ui; HttpOnly; SameSite=Strict$/);
    const page = await raw(h.base, '/ui/', { headers: { cookie: cookieOf(res.headers) } });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(TOKEN_A);
    expect(page.body).not.toMatch(/<script>|<style>| style="| on[a-z]+="/);
  });

  it('refuses a POST without the CSRF token, from another origin, or from another site', async () => {
    const mcp = await h.connect(TOKEN_A);
    const m = (await call(mcp, 'remember', { content: 'keep me safe from CSRF' })) as { id: string };
    const cookie = await signIn(TOKEN_A);
    const page = await raw(h.base, `/ui/memories/${m.id}`, { headers: { cookie } });
    const csrf = csrfOf(page.body);
    expect(csrf.length).toBeGreaterThan(20);
    const post = (headers: Record<string, string>, body: string) =>
      raw(h.base, `/ui/memories/${m.id}/forget`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });

    expect((await post({ origin: h.base }, 'reason=x')).status).toBe(403);
    expect((await post({ origin: h.base }, `_csrf=${csrf}x&reason=x`)).status).toBe(403);
    expect((await post({ origin: `http://127.0.0.1:1` }, `_csrf=${csrf}`)).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' }, `_csrf=${csrf}`)).status).toBe(403);
    expect((await post({ origin: 'null' }, `_csrf=${csrf}`)).status).toBe(403);
    const other = await signIn(TOKEN_B);
    const bobs = await raw(h.base, `/ui/memories/${m.id}/forget`, {
      method: 'POST',
      headers: { cookie: other, origin: h.base, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${csrf}`,
    });
    expect(bobs.status).toBe(403);
    const still = (await call(mcp, 'query_memory', { query: 'keep me safe from CSRF' })) as { results: Array<{ id: string }> };
    expect(still.results.map((r) => r.id)).toContain(m.id);

    const ok = await post({ origin: h.base, 'sec-fetch-site': 'same-origin' }, `_csrf=${encodeURIComponent(csrf)}&reason=done`);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/ui/memories/${m.id}?done=forgotten`);
    const gone = (await call(mcp, 'query_memory', { query: 'keep me safe from CSRF' })) as { results: Array<{ id: string }> };
    expect(gone.results.map((r) => r.id)).not.toContain(m.id);
  });

  it('shows each token only its own namespace, and signing out ends the session', async () => {
    const mcp = await h.connect(TOKEN_A);
    const m = (await call(mcp, 'remember', { content: 'alice only: the spare key is under the mat' })) as { id: string };
    const bob = await signIn(TOKEN_B);
    const res = await raw(h.base, `/ui/memories/${m.id}`, { headers: { cookie: bob } });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('spare key');
    const csrf = csrfOf((await raw(h.base, '/ui/', { headers: { cookie: bob } })).body);
    const out = await raw(h.base, '/ui/logout', {
      method: 'POST',
      headers: { cookie: bob, origin: h.base, host, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${csrf}`,
    });
    expect(out.status).toBe(303);
    expect((await raw(h.base, '/ui/', { headers: { cookie: bob } })).status).toBe(401);
  });
});

describe('dashboard on loopback without tokens', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await startHttp();
  });
  afterAll(() => h.close());

  it('opens without a token and still gives a session for CSRF', async () => {
    const res = await raw(h.base, '/ui/');
    expect(res.status).toBe(200);
    expect(cookieOf(res.headers)).toMatch(/^cairn_ui_\d+=/);
    expect(res.body).toContain('namespace <strong>default</strong>');
    expect(res.body).not.toContain('Sign out');
    const post = await raw(h.base, '/ui/memories', {
      method: 'POST',
      headers: { cookie: cookieOf(res.headers), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'content=hi&kind=note',
    });
    expect(post.status).toBe(403);
  });

  it('serves compiled-in assets with a version for long caching, and no others', async () => {
    const page = (await raw(h.base, '/ui/')).body;
    const css = /href="(\/ui\/assets\/app\.css\?v=\w+)"/.exec(page)?.[1];
    expect(css).toBeDefined();
    const res = await raw(h.base, css!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toContain('prefers-color-scheme: dark');
    expect((await raw(h.base, '/ui/assets/../../mcp')).status).not.toBe(200);
    expect((await raw(h.base, '/ui/assets/nope.js')).status).toBe(404);
  });
});

describe('cairn ui', () => {
  it('prints a one-time sign-in link for 127.0.0.1 that works once, serves no MCP, and stops on SIGTERM', async () => {
    const home = tempHome('cairn-ui-');
    const child = spawn(process.execPath, [CLI, 'ui', '--home', home, '--namespace', 'me'], {
      env: { ...process.env, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`cairn ui exited with ${code}`)));
      });
      const link = new URL(line);
      expect(link.hostname).toBe('127.0.0.1');
      expect(link.pathname).toBe('/ui/login');
      const base = link.origin;
      const first = await raw(base, `${link.pathname}${link.search}`);
      expect(first.status).toBe(303);
      const cookie = cookieOf(first.headers);
      const home1 = await raw(base, '/ui/', { headers: { cookie } });
      expect(home1.status).toBe(200);
      expect(home1.body).toContain('namespace <strong>me</strong>');
      expect((await raw(base, `${link.pathname}${link.search}`)).status).toBe(401);
      expect((await raw(base, '/ui/')).status).toBe(401);
      expect((await raw(base, '/mcp', { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await raw(base, '/ui/', { headers: { cookie, host: 'evil.example:80' } })).status).toBe(403);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
