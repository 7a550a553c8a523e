import { spawn } from 'node:child_process';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [
  { name: 'port', value: 'N', help: 'Port on 127.0.0.1; default 0, any free port' },
  { name: 'open', help: 'Open the link in the default browser' },
  { ...NAMESPACE_FLAG, help: 'Namespace to show (CAIRN_NAMESPACE), default "default"' },
];

/** Opens `url` with the desktop's opener; a failure only prints a note (the link is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`cairn ui: could not start ${cmd}; open the link above yourself\n`));
  child.unref();
}

/** `cairn ui`: the dashboard for stdio users, on loopback, signed in by a one-time link. */
export const uiCommand: OperatorCommand = {
  name: 'ui',
  usage: 'ui [--open]',
  summary: 'Serve the dashboard on 127.0.0.1 and print a one-time sign-in link.',
  help: `Usage: cairn ui [--port N] [--open] [--namespace NAME]

Serves the web dashboard (memories, episodes, patterns, focus and energy, health) for one
namespace on 127.0.0.1 only, next to any MCP server using the same data folder. It prints a
sign-in link holding a fresh random token that works once: the browser exchanges it for a
session cookie (HttpOnly, SameSite=Strict). Run it again for a new link. Ctrl+C stops it.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 stopped cleanly, 1 failure, 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const { createApp } = await import('../app.js');
    const { startStandaloneUi } = await import('../ui/standalone.js');
    const app = await createApp(config);
    let ui: Awaited<ReturnType<typeof startStandaloneUi>>;
    try {
      ui = await startStandaloneUi(app, { port: config.flags.port === undefined ? 0 : config.http.port });
    } catch (err) {
      await app.close();
      throw err;
    }
    process.stdout.write(`${ui.loginUrl}\n`);
    process.stderr.write(`Cairn dashboard for namespace "${config.namespace}": open the link above (it signs you in once). Ctrl+C to stop.\n`);
    if (config.flags.open === true) openBrowser(ui.loginUrl);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await ui.close();
    await app.close();
    return 0;
  },
};
