import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { backupInto, type DatabaseFileInfo, dbFilePath } from '../storage/backup.js';
import { liveFileRole } from '../storage/live-files.js';
import { type FlagSpec, optionsHelp } from './flags.js';
import { fail, printJson, usage, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [{ name: 'force', help: 'Replace PATH if it exists (only once the new copy is complete and verified)' }];

/** `cairn backup PATH`: a consistent copy while servers keep running. */
export const backupCommand: OperatorCommand = {
  name: 'backup',
  usage: 'backup PATH',
  summary: 'Consistent copy of the database, safe while a server runs.',
  help: `Usage: cairn backup PATH [--force]

Writes a consistent, compacted copy of the embedded database to PATH with SQLite's VACUUM INTO.
It reads one snapshot, so running servers keep reading and writing meanwhile and the copy holds
exactly the transactions committed before it started. All namespaces are included. The copy is
written next to PATH under a temporary name, flushed to disk and checked (integrity_check); only
then does it take PATH's name, so an existing PATH is never lost to a failed backup. PATH may not
be the live database, its -wal/-shm files or anything in the cache folder. The LMDB cache is not
copied: it is rebuilt on demand. Restore with "cairn restore PATH".

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 written and verified, 1 failure (PATH unchanged), 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const target = config.args[0];
    if (!target) return usage('backup', 'missing PATH');
    if (config.args.length > 1) return usage('backup', `expected one PATH, got ${config.args.length}`);
    const path = resolve(target);
    const dbPath = dbFilePath(config.dbUrl);
    const role = liveFileRole(path, { dbPath: dbPath ?? join(config.home, 'cairn.db'), cacheDir: config.cacheDir });
    if (role) return usage('backup', `${target} is ${role}; write the backup somewhere else (nothing was changed)`);
    if (existsSync(path) && statSync(path).isDirectory()) return usage('backup', `${path} is a folder; give the path of the backup file to write`);
    if (!existsSync(dirname(path))) return usage('backup', `the folder ${dirname(path)} does not exist`);
    if (existsSync(path) && config.flags.force !== true) return usage('backup', `${path} already exists; choose a new path or pass --force to replace it`);
    return withCommandApp(config, async (app) => {
      const t0 = performance.now();
      let info: DatabaseFileInfo;
      try {
        info = await backupInto(app.db, path, { replace: config.flags.force === true });
      } catch (err) {
        const existed = existsSync(path) ? `${path} was not changed` : 'nothing was written';
        return fail('backup', `the backup failed (${err instanceof Error ? err.message : String(err)}); ${existed}`);
      }
      printJson({ path, bytes: info.bytes, schema_version: info.schemaVersion, counts: info.counts, took_ms: Math.round(performance.now() - t0) });
      return 0;
    });
  },
};
