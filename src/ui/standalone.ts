import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app.js';
import { CairnError } from '../errors.js';
import { createHostCheck } from '../server/host-check.js';
import { limitConnections, serverOptions } from '../server/http-limits.js';
import { createGate, oneTimeLogin } from './gate.js';
import { createUi, uiServices } from './index.js';

/** A dashboard served on its own (`cairn ui`). */
export interface StandaloneUi {
  /** The sign-in link: the one-time token in its query, spent by its first use. */
  loginUrl: string;
  close(): Promise<void>;
}

/**
 * Serves only the dashboard, on 127.0.0.1 (never another address), for the config's namespace.
 * Signing in takes a fresh random token that works once; there is no MCP endpoint here.
 */
export async function startStandaloneUi(app: App, opts: { port: number }): Promise<StandaloneUi> {
  const secret = randomBytes(24).toString('base64url');
  const principal = { id: 'ui', namespace: app.config.namespace };
  const now = () => app.clock.now();
  const gate = createGate({ login: oneTimeLogin(secret, principal), now });
  const ui = createUi({
    services: uiServices(app),
    gate,
    timeZone: app.config.timeZone,
    version: app.version,
    now,
    logger: app.logger.child({ component: 'ui' }),
  });
  const hosts = createHostCheck('127.0.0.1', app.config.http.allowedHosts, []);
  const logger = app.logger.child({ component: 'ui' });
  const server = createServer(serverOptions(app.config.http), (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refused = hosts.check(req.headers.host, typeof req.headers.origin === 'string' ? req.headers.origin : undefined);
    const plain = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (refused) return plain(403, `Forbidden: ${refused}\n`);
    if (url.pathname === '/') return plain(303, 'see /ui/\n', { location: '/ui/' });
    if (url.pathname !== '/ui' && !url.pathname.startsWith('/ui/')) return plain(404, 'Not found: this server only serves the dashboard, at /ui/\n');
    ui.handle(req, res, url).catch((err: unknown) => {
      logger.error('dashboard request failed', { err });
      if (!res.headersSent) plain(500, 'internal error; the server log has details\n');
      else res.end();
    });
  });
  limitConnections(server, app.config.http, app.metrics);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new CairnError('CONFIG_INVALID', `cannot listen on 127.0.0.1:${opts.port} (${err.code ?? err.message})`, { cause: err })),
    );
    server.listen(opts.port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    loginUrl: `http://127.0.0.1:${port}/ui/login?token=${secret}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
