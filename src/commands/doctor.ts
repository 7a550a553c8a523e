import { type Check, checkApp, checkEnvironment } from '../ops/doctor.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { printJson, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [{ name: 'json', help: 'Print the findings as JSON' }, NAMESPACE_FLAG];

const MARK: Record<Check['status'], string> = { ok: '✓', warn: '!', fail: '✗' };

/** `cairn doctor`: check configuration, database, cache, embedder and disk. */
export const doctorCommand: OperatorCommand = {
  name: 'doctor',
  usage: 'doctor [--json]',
  summary: 'Check config, database, cache, embedder, disk and servers.',
  help: `Usage: cairn doctor [--json]

Checks, in order: Node version, configuration, the data folder, free disk space, servers running
from this folder, the database (reachable, schema version, quick_check, size), the cache (every
entry readable) and the embedding model (available without a download). Each line says what to
do when something is wrong.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 no failures (warnings allowed), 1 at least one failure, 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const checks = checkEnvironment(config);
    if (!checks.some((c) => c.name === 'home' && c.status === 'fail')) {
      try {
        await withCommandApp(config, async (app) => {
          checks.push(...(await checkApp(app)));
          return 0;
        });
      } catch (err) {
        checks.push({ name: 'database', status: 'fail', detail: `cannot open: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    if (config.flags.json === true) printJson({ checks });
    else {
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const c of checks) process.stdout.write(`${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}\n`);
    }
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  },
};
