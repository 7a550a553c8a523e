import { existsSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { liveInstances } from '../ops/instances.js';
import { type DatabaseFileInfo, dbFilePath, inspectDatabaseFile, replaceDatabaseFile } from '../storage/backup.js';
import { liveFileRole } from '../storage/live-files.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { type FlagSpec, optionsHelp } from './flags.js';
import { fail, printJson, usage, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'force',
    help: 'Restore even though a server seems to be running (only if you know it is not: replacing a database under a live server loses its later writes)',
  },
];

/** `cairn restore PATH`: put a backup in place of the database. */
export const restoreCommand: OperatorCommand = {
  name: 'restore',
  usage: 'restore PATH',
  summary: 'Replace the database with a backup (servers must be stopped).',
  help: `Usage: cairn restore PATH [--force]

Replaces the embedded database with the backup at PATH:
  1. checks the backup (integrity_check, a Cairn schema this version can open);
  2. refuses while a Cairn server (stdio or HTTP) is serving from this folder — stop it first;
  3. moves the current database aside to cairn.db.pre-restore-<time> (kept, still openable);
  4. copies the backup in place, clears the cache, and applies any newer migrations.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 restored, 1 failure (bad backup, server running), 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const source = config.args[0];
    if (!source) return usage('restore', 'missing PATH');
    const path = resolve(source);
    if (config.args.length > 1) return usage('restore', `expected one PATH, got ${config.args.length}`);
    if (!existsSync(path)) return usage('restore', `no backup at ${path}`);
    if (statSync(path).isDirectory())
      return usage('restore', `${path} is a folder, not a Cairn backup file; give the path of a file written by "cairn backup"`);
    const dbPath = dbFilePath(config.dbUrl);
    if (!dbPath)
      return fail('restore', "CAIRN_DB_URL points at a remote database; restore replaces an embedded (file:) database only — use your database server's tools");
    const role = liveFileRole(path, { dbPath, cacheDir: config.cacheDir });
    if (role) return usage('restore', `${source} is ${role}, not a backup; nothing was changed`);

    let info: DatabaseFileInfo;
    try {
      info = await inspectDatabaseFile(path);
    } catch (err) {
      return fail('restore', `${path} is not a Cairn backup file (${err instanceof Error ? err.message : String(err)}); nothing was changed`);
    }
    if (info.integrity !== 'ok') return fail('restore', `${path} failed its integrity check (${info.integrity}); nothing was changed`);
    if (info.schemaVersion === 0)
      return fail('restore', `${path} is not a Cairn backup file (a SQLite database without Cairn's schema_migrations table); nothing was changed`);
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (info.schemaVersion > latest)
      return fail('restore', `${path} has schema version ${info.schemaVersion} but this Cairn knows only up to ${latest}; upgrade cairn-mcp first`);

    const running = liveInstances(config.home);
    if (running.length > 0 && config.flags.force !== true) {
      const list = running.map((r) => `pid ${r.pid} (${r.kind})`).join(', ');
      const hooks = running.some((r) => r.kind === 'hooks') ? ' ("cairn hook --stop" stops the background Cairn of Claude Code hooks)' : '';
      return fail(
        'restore',
        `a Cairn server is serving from ${config.home}: ${list}; stop it first${hooks} (or pass --force if it is not really running); nothing was changed`,
      );
    }

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const { previous } = replaceDatabaseFile(path, dbPath, stamp);
    rmSync(config.cacheDir, { recursive: true, force: true });
    return withCommandApp(config, async (app) => {
      const health = await app.health.check(config.namespace);
      printJson({
        restored_from: path,
        database: dbPath,
        previous_database: previous,
        cache: 'cleared',
        schema_version: info.schemaVersion,
        counts: info.counts,
        namespace_counts: health.counts,
      });
      return 0;
    });
  },
};
