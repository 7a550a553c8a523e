import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type App, createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { resolveConfig } from '../../src/config/index.js';
import { createLogger, type Logger, silentLogger } from '../../src/logger.js';
import { type CairnHttpServer, createHttpServer } from '../../src/server/http.js';
import { tempHome } from '../helpers/client.js';
import { callOk } from '../helpers/stdio.js';

/** Tokens used across the HTTP tests (each ≥ 16 characters). */
export const TOKEN_A = 'alpha-token-0123456789abcdef';
export const TOKEN_B = 'bravo-token-0123456789abcdef';

/** A real app behind a real HTTP server on 127.0.0.1 and a random port. */
export interface HttpHarness {
  app: App;
  server: CairnHttpServer;
  /** `http://127.0.0.1:PORT` */
  base: string;
  home: string;
  /** Log lines written (when `captureLogs` was set). */
  logs: string[];
  /** Connects an SDK client over streamable HTTP (with the token as a bearer header, if any). */
  connect(token?: string, fetchSpy?: typeof fetch): Promise<Client>;
  /** Connects an SDK client over the legacy SSE transport. */
  connectSse(token?: string): Promise<Client>;
  close(): Promise<void>;
}

/** Starts the harness. Settings come from CAIRN_* variables, as in production. */
export async function startHttp(
  opts: { env?: Record<string, string>; clock?: Clock; captureLogs?: boolean; sweepEveryMs?: number } = {},
): Promise<HttpHarness> {
  const home = tempHome('cairn-http-');
  const config = resolveConfig(
    {
      CAIRN_HOME: home,
      CAIRN_EMBEDDINGS: 'hashing',
      CAIRN_LOG_LEVEL: 'silent',
      CAIRN_CHECKIN_MINUTES: '0',
      CAIRN_TZ: 'UTC',
      CAIRN_HTTP_PORT: '0',
      ...(opts.env ?? {}),
    },
    [],
  );
  const logs: string[] = [];
  const logger: Logger = opts.captureLogs ? createLogger('debug', (l) => void logs.push(l)) : silentLogger;
  const app = await createApp(config, { logger });
  const server = createHttpServer(app, { ...(opts.clock ? { clock: opts.clock } : {}), sweepEveryMs: opts.sweepEveryMs ?? 0 });
  const { port } = await server.listen();
  const base = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  const headers = (token?: string): Record<string, string> => (token ? { Authorization: `Bearer ${token}` } : {});
  return {
    app,
    server,
    base,
    home,
    logs,
    async connect(token, fetchSpy) {
      const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
        requestInit: { headers: headers(token) },
        ...(fetchSpy ? { fetch: fetchSpy } : {}),
      });
      const client = new Client({ name: 'cairn-http-test', version: '1.0.0' });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async connectSse(token) {
      const transport = new SSEClientTransport(new URL(`${base}/sse`), { requestInit: { headers: headers(token) } });
      const client = new Client({ name: 'cairn-sse-test', version: '1.0.0' });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await server.close(1000);
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Calls a tool and returns its structured content; throws with the error text on isError. */
export const call = callOk;

/** A raw HTTP request with full control of headers (fetch forbids setting Host). */
export function raw(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: opts.method ?? 'GET',
        headers: {
          ...(opts.body !== undefined ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } : {}),
          ...(opts.headers ?? {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A JSON-RPC initialize request body. */
export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
