import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupInto, inspectDatabaseFile } from '../storage/backup.js';
import { fail, printJson, usage, withCommandApp } from './support.js';
import { COMMON_OPTIONS, type OperatorCommand } from './types.js';

/** `cairn backup PATH`: a consistent copy while servers keep running. */
export const backupCommand: OperatorCommand = {
  name: 'backup',
  usage: 'backup PATH',
  summary: 'Consistent copy of the database, safe while a server runs.',
  help: `Usage: cairn backup PATH [--force]

Writes a consistent, compacted copy of the embedded database to PATH with SQLite's VACUUM INTO.
It reads one snapshot, so running servers keep reading and writing meanwhile and the copy holds
exactly the transactions committed before it started. All namespaces are included. The copy is
checked (integrity_check) before the command reports success. The LMDB cache is not copied: it
is rebuilt on demand. Restore with "cairn restore PATH".

Options:
  --force           Replace PATH if it exists
${COMMON_OPTIONS}

Exit codes: 0 written and verified, 1 failure, 2 bad usage.`,
  async run(config) {
    const target = config.args[0];
    if (!target) return usage('backup', 'missing PATH');
    const path = resolve(target);
    if (existsSync(path)) {
      if (config.flags.force !== true) return usage('backup', `${path} already exists; choose a new path or pass --force to replace it`);
      rmSync(path);
    }
    return withCommandApp(config, async (app) => {
      const t0 = performance.now();
      const { bytes } = await backupInto(app.db, path);
      const info = await inspectDatabaseFile(path);
      if (info.integrity !== 'ok') return fail('backup', `the copy at ${path} failed its integrity check (${info.integrity})`);
      printJson({ path, bytes, schema_version: info.schemaVersion, counts: info.counts, took_ms: Math.round(performance.now() - t0) });
      return 0;
    });
  },
};
