#!/usr/bin/env node
import nodeModule from 'node:module';
import type { App } from './app.js';
import type { Config } from './config/index.js';
import { CairnError } from './errors.js';
import { VERSION } from './version.js';

// Everything else is imported on demand: over stdio, `initialize` is answered as soon as the MCP
// SDK and the tool list are loaded, while the database, cache and services load behind it.

// Node 22.1 and later can keep V8's compiled code of the modules loaded from here on (the chunks
// of the bundle) on disk, in the system's temp folder; later starts then skip most parsing.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Earlier Nodes lack the call.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const commands = async () => (await import('./commands/index.js')).OPERATOR_COMMANDS;

const help = async () => `cairn ${VERSION} — durable memory and an executive-function toolkit for AI agents (MCP)

Usage: cairn [command] [options]

Commands:
  serve                   Serve MCP on stdio (default). Launched by MCP clients, e.g. "npx cairn-mcp".
${(await commands()).map((c) => `  ${c.usage.padEnd(24)}${c.summary}`).join('\n')}
  help [COMMAND]          Show this help, or a command's.  version  Print the version.

Options:
  --home DIR        Data folder (CAIRN_HOME), default ~/.local/share/cairn
  --namespace NAME  Namespace (CAIRN_NAMESPACE), default "default", for the commands that work on one
  --help, --version

Settings are read from CAIRN_* environment variables; see README.md.`;

const TTY_NOTE = `Cairn ${VERSION} is an MCP server: it speaks the Model Context Protocol over stdin/stdout,
so it is meant to be launched by an MCP client rather than typed at. To connect one, add
  { "command": "npx", "args": ["-y", "cairn-mcp"] }
to your client's MCP config (see mcp.json.example), or run "cairn help". Serving on stdio now; Ctrl+C to stop.\n`;

async function serve(config: Config): Promise<number> {
  if (process.stdin.isTTY) process.stderr.write(TTY_NOTE);
  const { startStdio } = await import('./server/stdio.js');
  // The session answers `initialize` and lists tools without the app; calls wait for it. The app
  // opens once the handshake is over, so loading it never holds those first answers.
  let resolveOpening!: (app: Promise<App>) => void;
  const opening = new Promise<App>((resolve) => {
    resolveOpening = resolve;
  });
  opening.catch(() => undefined);
  const session = await startStdio(opening, { config });
  await session.handshake;
  resolveOpening(import('./app.js').then((m) => m.createApp(config)));
  let app: App;
  try {
    app = await opening;
  } catch (err) {
    await session.close(0);
    throw err;
  }
  const release = (await import('./ops/instances.js')).registerInstance(config.home, 'stdio');
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
  // A Claude Code hook runs once per prompt and tool use: its client loads almost nothing (no config schema, no app).
  if (argv.includes('hook')) {
    const code = await (await import('./commands/hook.js')).runHookClient(argv, env);
    if (code !== null) return code;
  }
  let config: Config;
  try {
    config = (await import('./config/index.js')).resolveConfig(env, argv);
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
    process.stdout.write(`${(await commands()).find((c) => c.name === topic)?.help ?? (await help())}\n`);
    return 0;
  }
  if (config.command === 'version' || config.flags.version === true) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    const stdio = config.command === 'serve' && config.flags.http === undefined;
    const name = config.command === 'serve' ? 'serve-http' : config.command;
    const cmd = stdio ? undefined : (await commands()).find((c) => c.name === name);
    if (!stdio && !cmd) {
      process.stderr.write(`cairn: unknown command "${config.command}"; run "cairn help" for the list\n`);
      return 2;
    }
    const { checkFlags, SERVE_FLAGS } = await import('./commands/flags.js');
    const problem = checkFlags(config.command, cmd?.flags ?? SERVE_FLAGS, config.flags);
    if (problem) {
      process.stderr.write(
        `cairn ${config.command}: ${problem}; run "cairn ${config.command === 'serve' && !stdio ? 'serve --http' : config.command} --help"\n`,
      );
      return 2;
    }
    if (stdio) return await serve(config);
    return await cmd!.run(config);
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
