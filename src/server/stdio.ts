import type { App } from '../app.js';
import type { Config } from '../config/index.js';
import { sessionScope } from '../scope/session.js';
import { handshakeOver } from './handshake.js';
import { trackInFlight } from './inflight.js';
import { createMcpServer } from './mcp.js';
import { GuardedStdioTransport } from './stdio-transport.js';

/** A running stdio session. */
export interface StdioSession {
  /** Resolves when stdin ends or the transport closes. */
  readonly closed: Promise<void>;
  /** Resolves when the handshake is over and the app should open (see `handshakeOver`), or the session closed. */
  readonly handshake: Promise<void>;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /**
   * Waits up to `graceMs` for in-flight requests to be answered, then closes the session.
   * Resolves with whether everything was answered. Idempotent.
   */
  close(graceMs: number): Promise<{ drained: boolean }>;
}

/**
 * Starts one MCP session over stdin/stdout. stdout carries protocol messages only; everything
 * else goes to stderr. A line that is too long or not a valid JSON-RPC message is answered with a
 * JSON-RPC error and logged; the session carries on.
 */
export async function startStdio(
  app: App | Promise<App>,
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; config?: Config; maxMessageBytes?: number; cwd?: string } = {},
): Promise<StdioSession> {
  const config = io.config ?? (app as App).config;
  const cwd = io.cwd ?? process.cwd();
  const server = createMcpServer(app, {
    namespace: config.namespace,
    config,
    scope: (roots) => sessionScope(config.project, config.namespace, { ...(config.projectDir ? { projectDir: config.projectDir } : {}), roots, cwd }),
  });
  const logged = Promise.resolve(app).then(
    (a) => a.logger.child({ component: 'stdio' }),
    () => undefined,
  );
  const transport = new GuardedStdioTransport({
    ...(io.stdin ? { stdin: io.stdin } : {}),
    ...(io.stdout ? { stdout: io.stdout } : {}),
    ...(io.maxMessageBytes ? { maxMessageBytes: io.maxMessageBytes } : {}),
    onReject: (problem, reply) => void logged.then((log) => log?.warn('message refused', { problem, answered: reply !== null, id: reply?.id ?? null })),
  });
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    (io.stdin ?? process.stdin).once('end', () => resolve());
  });
  await server.connect(transport);
  const inFlight = trackInFlight(transport, server);
  const handshake = Promise.race([handshakeOver(transport), closed]);
  let closing: Promise<{ drained: boolean }> | undefined;
  return {
    closed,
    handshake,
    inFlight: () => inFlight.count(),
    close(graceMs) {
      closing ??= (async () => {
        const drained = await inFlight.drained(graceMs);
        await server.close().catch(() => undefined);
        return { drained };
      })();
      return closing;
    },
  };
}

/** Serves one session until stdin closes, answers what was asked meanwhile, then closes. */
export async function serveStdio(app: App, io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {}, graceMs = 10_000): Promise<void> {
  const session = await startStdio(app, io);
  await session.closed;
  await session.close(graceMs);
}
