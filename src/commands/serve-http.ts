import { createApp } from '../app.js';
import { isLoopback } from '../config/http.js';
import { registerInstance } from '../ops/instances.js';
import { createHttpServer } from '../server/http.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [
  { name: 'http', help: 'Serve over HTTP (this command)' },
  { name: 'host', value: 'ADDR', help: 'Address to bind (CAIRN_HTTP_HOST), default 127.0.0.1' },
  { name: 'port', value: 'N', help: 'Port (CAIRN_HTTP_PORT), default 8765; 0 picks a free port' },
  {
    name: 'tokens',
    value: 'SPEC',
    help: 'Bearer tokens (CAIRN_TOKENS): token=namespace,… or @/path/to/file. Prefer the file form: command lines are visible to other users.',
  },
  { ...NAMESPACE_FLAG, help: 'Namespace of sessions without a token (loopback only), default "default"' },
];

/** `cairn serve --http`: streamable HTTP + SSE with auth, health and metrics. */
export const serveHttp: OperatorCommand = {
  name: 'serve-http',
  usage: 'serve --http',
  summary: 'Serve MCP over HTTP (/mcp, /sse) with /healthz, /readyz and /metrics.',
  help: `Usage: cairn serve --http [--host ADDR] [--port N] [--tokens SPEC]

Serves MCP over streamable HTTP (POST|GET|DELETE /mcp) and legacy SSE (GET /sse,
POST /messages?sessionId=…), plus GET /healthz, GET /readyz and GET /metrics (Prometheus).

Options:
${optionsHelp(FLAGS.slice(1))}

Security: without tokens Cairn only binds a loopback address; every session is bound to its
token's namespace. Host and Origin headers are checked (CAIRN_HTTP_ALLOWED_HOSTS,
CAIRN_HTTP_ALLOWED_ORIGINS), bodies are limited (CAIRN_HTTP_MAX_BODY_BYTES), and each token has
read and write rate limits (CAIRN_RATE_READS, CAIRN_RATE_WRITES per second).
SIGINT/SIGTERM stop gracefully: in-flight calls finish (CAIRN_SHUTDOWN_GRACE_SECONDS), sessions
close, then the database. A second signal exits at once.

Exit codes: 0 stopped cleanly, 1 failure, 2 bad configuration.`,
  flags: FLAGS,
  async run(config) {
    const http = config.http;
    if (!isLoopback(http.host) && http.tokens.length === 0) {
      process.stderr.write(
        `cairn: refusing to serve on ${http.host} without authentication: set CAIRN_TOKENS (token=namespace,… or @/path/to/file), or bind 127.0.0.1\n`,
      );
      return 2;
    }
    // Listening for signals from the start: one that arrives while the server starts still stops it gracefully.
    const stop = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const app = await createApp(config);
    const server = createHttpServer(app);
    try {
      await server.listen();
    } catch (err) {
      await app.close();
      throw err;
    }
    const release = registerInstance(config.home, 'http');
    const signal = await stop;
    const force = () => {
      app.logger.warn('second signal: exiting without waiting');
      process.exit(1);
    };
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    app.logger.info('shutting down', { signal, in_flight: server.inFlight() });
    const { drained } = await server.close();
    await app.close();
    release();
    app.logger.info('stopped', { drained });
    return 0;
  },
};
