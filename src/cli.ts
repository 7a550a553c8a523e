#!/usr/bin/env node
import { createApp, type App } from './app.js';
import { resolveConfig, type Config } from './config.js';
import { CairnError } from './errors.js';
import { serveStdio } from './server/stdio.js';
import { VERSION } from './version.js';

/** A CLI command: runs with the resolved config and returns the process exit code. */
export type Command = (config: Config) => Promise<number>;

const HELP = `cairn ${VERSION} — durable memory and an executive-function toolkit for AI agents (MCP)

Usage: cairn [command] [options]

Commands:
  serve            Serve MCP on stdio (default). Launched by MCP clients, e.g. "npx cairn-mcp".
  health           Print a health report as JSON.
  stats            Print counts and sizes for the namespace as JSON.
  help             Show this help.  version  Print the version.

Options:
  --home DIR        Data folder (CAIRN_HOME), default ~/.local/share/cairn
  --namespace NAME  Namespace (CAIRN_NAMESPACE), default "default"

Settings are read from CAIRN_* environment variables; see README.md.`;

const TTY_NOTE = `Cairn ${VERSION} is an MCP server: it speaks the Model Context Protocol over stdin/stdout,
so it is meant to be launched by an MCP client rather than typed at. To connect one, add
  { "command": "npx", "args": ["-y", "cairn-mcp"] }
to your client's MCP config (see mcp.json.example), or run "cairn help". Serving on stdio now; Ctrl+C to stop.\n`;

/** Commands other than `serve`, by name; modules register more (HTTP, operator commands). */
export const COMMANDS: Record<string, Command> = {
  health: (config) => withApp(config, async (app) => print(await app.health.check(config.namespace))),
  stats: (config) =>
    withApp(config, async (app) => {
      const h = await app.health.check(config.namespace);
      return print({ namespace: config.namespace, home: config.home, db: h.primary, cache: h.cache, counts: h.counts });
    }),
};

/** Opens the app, runs `fn`, always closes it. */
export async function withApp(config: Config, fn: (app: App) => Promise<number>): Promise<number> {
  const app = await createApp({ ...config, checkInMinutes: 0 });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function print(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

async function serve(config: Config): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write(TTY_NOTE);
  const app = await createApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.logger.info('shutting down', { signal });
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  app.logger.info('cairn serving on stdio', { version: VERSION, namespace: config.namespace, db: config.dbUrl.startsWith('file:') ? config.dbUrl : 'remote' });
  await serveStdio(app);
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
    process.stdout.write(`${HELP}\n`);
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
