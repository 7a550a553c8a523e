import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Authenticator } from '../server/auth.js';
import { readBody } from '../server/body.js';
import { ASSET_VERSION, ASSETS } from './assets/index.js';
import { createGate, type Gate } from './gate.js';
import { layout } from './layout.js';
import { errorPage } from './pages/common.js';
import { loginPage, signedInPage } from './pages/login.js';
import { findRoute } from './routes.js';
import { cookieName, crossSiteReason, readCookie, securityHeaders, sessionCookie } from './security.js';
import type { Page, PageContext, UiServices } from './types.js';

export { createGate, type Gate, oneTimeLogin, type UiPrincipal } from './gate.js';
export type { UiServices } from './types.js';

/** Options of {@link createUi}. */
export interface UiOptions {
  services: UiServices;
  gate: Gate;
  /** IANA zone times are shown in (CAIRN_TZ). */
  timeZone: string;
  version: string;
  now: () => number;
  logger: Logger;
  /** Largest form body, bytes. Default 256 KiB. */
  maxFormBytes?: number;
}

/** The dashboard: answers every request under `/ui`. */
export interface UiHandler {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** What the dashboard uses of the app: its services, never its database. */
export function uiServices(app: App): UiServices {
  const { memory, episodes, patterns, adhd, health, metrics } = app;
  return { memory, episodes, patterns, adhd, health, metrics };
}

/**
 * The dashboard of `cairn serve --http`, with the MCP endpoint's security: without tokens (loopback
 * only) every visitor is the local principal; with tokens, a visitor signs in with one and sees its
 * namespace.
 */
export function createUiForServer(app: App, auth: Authenticator, clock: Clock): UiHandler {
  const login = (token: string) => {
    const r = auth.check(`Bearer ${token}`);
    return r.ok ? r.principal : null;
  };
  const gate = auth.required
    ? createGate({ login, now: () => clock.now() })
    : createGate({ open: { id: 'local', namespace: app.config.namespace }, now: () => clock.now() });
  return createUi({
    services: uiServices(app),
    gate,
    timeZone: app.config.timeZone,
    version: app.version,
    now: () => clock.now(),
    logger: app.logger.child({ component: 'ui' }),
  });
}

/**
 * Creates the dashboard handler. Pages are rendered on the server from the services; assets are
 * compiled in. A visitor needs a session: exchanged for a token at `/ui/login` (the cookie is
 * HttpOnly, SameSite=Strict), or, on a server without tokens, given on the first visit. A POST
 * must come from this server's own pages (Origin, Sec-Fetch-Site) and carry the session's CSRF token.
 */
export function createUi(o: UiOptions): UiHandler {
  const maxForm = o.maxFormBytes ?? 256 * 1024;
  const { gate } = o;

  function send(res: ServerResponse, page: Page, chrome: { namespace: string | null; csrf: string | null }, headers: Record<string, string> = {}): void {
    const body = layout(page, { ...chrome, canSignOut: gate.loginRequired, version: o.version });
    res.writeHead(page.status ?? 200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  function redirect(res: ServerResponse, to: string, headers: Record<string, string> = {}): void {
    res.writeHead(303, { location: to, 'cache-control': 'no-store', 'content-length': 0, ...headers });
    res.end();
  }

  function asset(res: ServerResponse, url: URL): void {
    const a = ASSETS.get(url.pathname.slice('/ui/assets/'.length));
    if (!a) return void send(res, errorPage(404, 'Not found', 'No such file.'), { namespace: null, csrf: null });
    const cache = url.searchParams.get('v') === ASSET_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': a.type, 'cache-control': cache, 'content-length': Buffer.byteLength(a.body) });
    res.end(a.body);
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams | string> {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) return 'a form must be sent as application/x-www-form-urlencoded';
    const body = await readBody(req, maxForm);
    return body.ok ? new URLSearchParams(body.text) : body.message;
  }

  async function login(req: IncomingMessage, res: ServerResponse, url: URL, cookie: string): Promise<void> {
    const bare = { namespace: null, csrf: null };
    if (!gate.loginRequired) return redirect(res, '/ui/');
    let token: string | null = null;
    if (req.method === 'POST') {
      const why = crossSiteReason(req);
      if (why) return send(res, errorPage(403, 'Refused', `${why}.`), bare);
      const form = await readForm(req);
      if (typeof form === 'string') return send(res, errorPage(400, 'Bad request', form), bare);
      token = form.get('token');
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      token = url.searchParams.get('token');
      if (token === null) return send(res, loginPage(null), bare);
    } else return send(res, errorPage(405, 'Method not allowed', 'Use GET or POST.'), bare, { allow: 'GET, POST' });
    const id = token === null ? null : gate.exchange(token.trim());
    if (!id) {
      o.logger.warn('dashboard sign-in refused', { remote: req.socket.remoteAddress, reason: token ? 'invalid token' : 'no token' });
      return send(res, loginPage(token ? 'That token is not valid (or a one-time link was already used).' : 'Enter a token.'), bare);
    }
    const setCookie = { 'set-cookie': sessionCookie(req, cookie, id) };
    // A link opened from another site would not send the new SameSite=Strict cookie on a redirect: show a link instead.
    const site = req.headers['sec-fetch-site'];
    if (req.method === 'GET' && site !== undefined && site !== 'none' && site !== 'same-origin') return send(res, signedInPage(), bare, setCookie);
    redirect(res, '/ui/', setCookie);
  }

  return {
    async handle(req, res, url) {
      securityHeaders(res);
      const path = url.pathname;
      if (path === '/ui') return redirect(res, '/ui/');
      if (path.startsWith('/ui/assets/')) return asset(res, url);
      const cookie = cookieName(req);
      if (path === '/ui/login') return login(req, res, url, cookie);

      let sid = readCookie(req, cookie);
      let session = gate.session(sid);
      const headers: Record<string, string> = {};
      if (!session) {
        const fresh = gate.openSession();
        if (!fresh)
          return send(
            res,
            loginPage(sid ? 'Your session has ended; sign in again.' : null, 401),
            { namespace: null, csrf: null },
            { 'www-authenticate': 'Cookie realm="cairn"' },
          );
        sid = fresh;
        session = gate.session(fresh)!;
        headers['set-cookie'] = sessionCookie(req, cookie, fresh);
      }
      const chrome = { namespace: session.principal.namespace, csrf: session.csrf };

      let form = new URLSearchParams();
      if (req.method === 'POST') {
        const why = crossSiteReason(req);
        if (why) return send(res, errorPage(403, 'Refused', `${why}.`), chrome, headers);
        const body = await readForm(req);
        if (typeof body === 'string') return send(res, errorPage(400, 'Bad request', body), chrome, headers);
        if (!gate.csrfOk(session, body.get('_csrf') ?? undefined)) {
          return send(
            res,
            errorPage(403, 'Refused', 'The form was stale or not from this page (CSRF token missing or wrong). Reload the page and try again.'),
            chrome,
            headers,
          );
        }
        form = body;
        if (path === '/ui/logout') {
          gate.end(sid);
          return redirect(res, '/ui/login', { 'set-cookie': sessionCookie(req, cookie, null) });
        }
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, errorPage(405, 'Method not allowed', 'Use GET or POST.'), chrome, { ...headers, allow: 'GET, POST' });
      }

      const found = findRoute(req.method, path);
      if (!found) return send(res, errorPage(404, 'Not found', 'There is no such page.'), chrome, headers);
      const ctx: PageContext = {
        services: o.services,
        ns: session.principal.namespace,
        now: o.now(),
        tz: o.timeZone,
        csrf: session.csrf,
        url,
        form,
        params: found.params,
      };
      try {
        const answer = await found.handler(ctx);
        if ('redirect' in answer) return redirect(res, answer.redirect, headers);
        send(res, answer, chrome, headers);
      } catch (err) {
        send(res, failure(err), chrome, headers);
      }
    },
  };

  function failure(err: unknown): Page {
    if (err instanceof CairnError && err.code !== 'INTERNAL') {
      const status =
        err.code === 'NOT_FOUND' ? 404 : err.code === 'INVALID_INPUT' ? 400 : err.code === 'CONFLICT' ? 409 : err.code === 'RATE_LIMITED' ? 429 : 503;
      return errorPage(status, status === 404 ? 'Not found' : 'Could not do that', `${err.code}: ${err.message}`);
    }
    const id = randomUUID();
    o.logger.error('dashboard page failed', { error_id: id, err });
    return errorPage(500, 'Something went wrong', `An unexpected error happened (error id ${id}); the server log has the details.`);
  }
}
