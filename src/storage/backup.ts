import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { CairnError } from '../errors.js';
import type { Db } from './types.js';

/** What a database file holds, as read by {@link inspectDatabaseFile}. */
export interface DatabaseFileInfo {
  /** `ok`, or the first problem `PRAGMA integrity_check` found. */
  integrity: string;
  /** Highest applied migration; 0 when the file has no `schema_migrations` (not a Cairn database). */
  schemaVersion: number;
  /** Rows in the main tables, across namespaces. */
  counts: Record<string, number>;
  bytes: number;
}

/** The file path of an embedded (`file:`) database URL, or null for a remote one. */
export function dbFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  return url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
}

/**
 * Writes a consistent copy of an embedded database to `target` with `VACUUM INTO`: it reads one
 * snapshot, so writers in this and other processes carry on and the copy holds only committed
 * transactions. The copy is compacted and self-contained (no WAL).
 *
 * The copy is written to a temporary file in the target's folder, flushed to disk and checked
 * (`integrity_check`) before it takes the target's name, and the folder is flushed after: an
 * existing file at `target` is replaced only by a complete, verified backup, never removed first.
 * Without `replace`, an existing `target` is refused (also one that appears meanwhile).
 */
export async function backupInto(db: Db, target: string, opts: { replace?: boolean } = {}): Promise<DatabaseFileInfo> {
  if (!db.local)
    throw new CairnError('INVALID_INPUT', 'backup copies an embedded database (file:); for a remote libSQL server use its own backup tools, or "cairn export"');
  if (!opts.replace && existsSync(target))
    throw new CairnError('CONFLICT', `backup target ${target} already exists; choose a new path or pass --force to replace it`);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${Date.now()}.partial`);
  try {
    await db.execute('VACUUM INTO ?', [temp]);
    syncFile(temp);
    const info = await inspectDatabaseFile(temp);
    if (info.integrity !== 'ok') throw new CairnError('INTERNAL', `the copy failed its integrity check (${info.integrity}); ${target} was not changed`);
    if (opts.replace) renameSync(temp, target);
    else moveNoClobber(temp, target);
    syncFile(dirname(target));
    return info;
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
}

/** Flushes a file or folder to disk (folders: where the platform allows it). */
function syncFile(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (err) {
    if (statSync(path).isFile()) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Renames `from` to `to` unless `to` exists (a hard link fails on an existing name; rename would not). */
function moveNoClobber(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CairnError('CONFLICT', `backup target ${to} appeared while the backup ran; choose a new path or pass --force to replace it`);
    // A file system without hard links: the existence check above is as good as it gets.
    if (existsSync(to)) throw new CairnError('CONFLICT', `backup target ${to} already exists; choose a new path or pass --force to replace it`);
    renameSync(from, to);
  }
}

/** Opens a database file on its own and reports its integrity, schema version and row counts. */
export async function inspectDatabaseFile(path: string): Promise<DatabaseFileInfo> {
  if (!existsSync(path)) throw new CairnError('NOT_FOUND', `no file at ${path}`);
  let client: Client | undefined;
  try {
    client = createClient({ url: `file:${path}`, intMode: 'number' });
    const integrity = String((await client.execute('PRAGMA integrity_check')).rows[0]?.integrity_check ?? 'unknown');
    const tables = new Set((await client.execute(`SELECT name FROM sqlite_master WHERE type = 'table'`)).rows.map((r) => String(r.name)));
    const schemaVersion = tables.has('schema_migrations')
      ? Number((await client.execute('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0]?.v ?? 0)
      : 0;
    const counts: Record<string, number> = {};
    for (const t of ['memories', 'episodes', 'episode_steps', 'patterns']) {
      if (tables.has(t)) counts[t] = Number((await client.execute(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0]?.n ?? 0);
    }
    return { integrity, schemaVersion, counts, bytes: statSync(path).size };
  } catch (err) {
    throw new CairnError('INVALID_INPUT', `not a readable SQLite database (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  } finally {
    client?.close();
  }
}

/**
 * Puts a copy of `source` in place of the database at `dbPath`. The current file and its WAL are
 * moved aside to `<dbPath>.pre-restore-<stamp>` (still openable), the copy is written next to the
 * target first and renamed over it, so a crash leaves either the old or the new database.
 * Returns where the old one went (null when there was none).
 */
export function replaceDatabaseFile(source: string, dbPath: string, stamp: string): { previous: string | null } {
  const staging = `${dbPath}.restoring`;
  rmSync(staging, { force: true });
  copyFileSync(source, staging);
  let previous: string | null = null;
  if (existsSync(dbPath)) {
    previous = `${dbPath}.pre-restore-${stamp}`;
    renameSync(dbPath, previous);
  }
  for (const suffix of ['-wal', '-shm']) {
    if (!existsSync(`${dbPath}${suffix}`)) continue;
    if (previous && suffix === '-wal') renameSync(`${dbPath}${suffix}`, `${previous}${suffix}`);
    else rmSync(`${dbPath}${suffix}`, { force: true });
  }
  renameSync(staging, dbPath);
  return { previous };
}
