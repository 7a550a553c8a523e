#!/usr/bin/env node
import { createApp, type App } from './app.js';
import { resolveConfig, type Config } from './config.js';
import { CairnError } from './errors.js';
import { OPERATOR_COMMANDS } from './commands/index.js';
import { registerInstance } from './ops/instances.js';
import { startStdio } from './server/stdio.js';
import { VERSION } from './version.js';

/** A CLI command: runs with the resolved config and returns the process exit code. */
export type Command = (config: Config) => Promise<number>;

const HELP = `cairn ${VERSION} — durable memory and an executive-function toolkit for AI agents (MCP)

Usage: cairn [command] [options]

Commands:
  serve                   Serve MCP on stdio (default). Launched by MCP clients, e.g. "npx cairn-mcp".
${OPERATOR_COMMANDS.map((c) => `  ${c.usage.padEnd(24)}${c.summary}`).join('\n')}
  help [COMMAND]          Show this help, or a command's.  version  Print the version.

Options:
  --home DIR        Data folder (CAIRN_HOME), default ~/.local/share/cairn
  --namespace NAME  Namespace (CAIRN_NAMESPACE), default "default"

Settings are read from CAIRN_* environment variables; see README.md.`;

const TTY_NOTE = `Cairn ${VERSION} is an MCP server: it speaks the Model Context Protocol over stdin/stdout,
so it is meant to be launched by an MCP client rather than typed at. To connect one, add
  { "command": "npx", "args": ["-y", "cairn-mcp"] }
to your client's MCP config (see mcp.json.example), or run "cairn help". Serving on stdio now; Ctrl+C to stop.\n`;

/** Commands other than `serve`, by name; modules register more (HTTP, operator commands). */
export const COMMANDS: Record<string, Command> = Object.fromEntries(OPERATOR_COMMANDS.map((c) => [c.name, (config: Config) => c.run(config)]));

/** Opens the app, runs `fn`, always closes it. */
export async function withApp(config: Config, fn: (app: App) => Promise<number>): Promise<number> {
  const app = await createApp({ ...config, checkInMinutes: 0 });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

async function serve(config: Config): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write(TTY_NOTE);
  const app = await createApp(config);
  const session = await startStdio(app);
  const release = registerInstance(config.home, 'stdio');
  let closing = false;
  // Finish what the client asked (up to the grace period), then close the session, LMDB and libSQL.
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.logger.info('shutting down', { signal, in_flight: session.inFlight() });
    const { drained } = await session.close(config.http.shutdownGraceMs);
    if (!drained) app.logger.warn('shutdown grace period over with calls still running');
    await app.close();
    release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  app.logger.info('cairn serving on stdio', { version: VERSION, namespace: config.namespace, db: config.dbUrl.startsWith('file:') ? config.dbUrl : 'remote' });
  await session.closed;
  await shutdown('stdin closed');
  return 0;
}

/** Entry point: argv/env → config → command. Exit codes: 0 ok, 1 failure, 2 bad usage or config. */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  let config: Config;
  try {
    config = resolveConfig(env, argv);
  } catch (err) {
    if (err instanceof CairnError) {
      process.stderr.write(`cairn: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (config.command === 'help' || config.flags.help === true) {
    const name = config.command === 'help' ? config.args[0] : config.command;
    const topic = name === 'serve' && config.flags.http !== undefined ? 'serve-http' : name;
    process.stdout.write(`${OPERATOR_COMMANDS.find((c) => c.name === topic)?.help ?? HELP}\n`);
    return 0;
  }
  if (config.command === 'version' || config.flags.version === true) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    if (config.command === 'serve' && config.flags.http === undefined) return await serve(config);
    const cmd = COMMANDS[config.command === 'serve' ? 'serve-http' : config.command];
    if (!cmd) {
      process.stderr.write(`cairn: unknown command "${config.command}"; run "cairn help" for the list\n`);
      return 2;
    }
    return await cmd(config);
  } catch (err) {
    const msg = err instanceof CairnError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    process.stderr.write(`cairn: ${msg}\n`);
    return 1;
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`cairn: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
