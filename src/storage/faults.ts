import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../errors.js';

/**
 * What kind of failure a primary-store error is:
 * - `busy`: another connection holds a lock (SQLITE_BUSY / SQLITE_LOCKED); wait and retry;
 * - `readonly`: the database cannot be written (SQLITE_READONLY); reads still work;
 * - `full`: the disk or the database's page limit is exhausted (SQLITE_FULL);
 * - `transient`: a network failure of a remote primary; retry, and count toward the breaker;
 * - `other`: anything else (SQL mistakes, constraint violations, our own errors).
 */
export type FaultKind = 'busy' | 'readonly' | 'full' | 'transient' | 'other';

const NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|socket hang up|HRANA_WEBSOCKET|SERVER_ERROR/i;

/** The SQLite result code of a libSQL error (`SQLITE_BUSY`, …), or '' when it carries none. */
export function sqliteCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  for (const c of [e?.code, e?.cause?.code]) if (typeof c === 'string' && c.startsWith('SQLITE_')) return c;
  const m = /\b(SQLITE_[A-Z_]+)\b/.exec(String((err as { message?: unknown })?.message ?? ''));
  return m?.[1] ?? '';
}

/** Classifies a primary-store error. A CairnError is always `other`: it has been mapped already. */
export function classifyFault(err: unknown): FaultKind {
  if (err instanceof CairnError) return 'other';
  const code = sqliteCode(err);
  const message = String((err as { message?: unknown })?.message ?? '');
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database (table )?is locked/i.test(message)) return 'busy';
  if (code.startsWith('SQLITE_READONLY')) return 'readonly';
  if (code.startsWith('SQLITE_FULL')) return 'full';
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (NETWORK.test(`${String(e?.code ?? '')} ${message} ${String(e?.cause?.code ?? '')}`)) return 'transient';
  return 'other';
}

/**
 * Codes after which SQLite has finished the statement (and, where it says so, rolled the
 * transaction back), so the connection can be used again. After any other SQLite error — above
 * all SQLITE_BUSY, which leaves the statement un-reset and its connection able to hold later
 * writes in a transaction that never commits — the connection is thrown away.
 */
const CLEAN = new Set([
  'SQLITE_ERROR',
  'SQLITE_CONSTRAINT',
  'SQLITE_MISMATCH',
  'SQLITE_RANGE',
  'SQLITE_TOOBIG',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_AUTH',
]);

/** True when the connection that raised `err` must not run another statement. */
export function poisonsConnection(err: unknown): boolean {
  const base = /^SQLITE_[A-Z]+/.exec(sqliteCode(err))?.[0];
  return base !== undefined && !CLEAN.has(base);
}

/** The file of an embedded (`file:`) database URL, or null for a remote one. */
export function dbPathOf(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  return url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
}

/** Bytes free to this user on the file system holding `path` (or its nearest existing parent); null if unknown. */
export function freeBytes(path: string): number | null {
  let probe = path;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    const fs = statfsSync(probe);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/**
 * Why this process cannot write the database file, or null when it can: SQLite opens a file it
 * may not write read-only, and needs the folder writable to create its `-wal` and `-shm` files.
 */
export function readOnlyReason(path: string): string | null {
  const check = (p: string) => {
    try {
      accessSync(p, constants.W_OK);
      return null;
    } catch (err) {
      return `${p} is not writable by this user (${(err as NodeJS.ErrnoException).code ?? 'EACCES'})`;
    }
  };
  if (!existsSync(path)) return check(dirname(path));
  return check(path) ?? (existsSync(`${path}-wal`) ? check(`${path}-wal`) : check(dirname(path)));
}

const mb = (b: number) => `${(b / 1024 ** 2).toFixed(1)} MB`;

/** STORE_BUSY: another process kept the write lock for longer than this call could wait. */
export function busyError(waitedMs: number, cause?: unknown): CairnError {
  return new CairnError(
    'STORE_BUSY',
    `another process holds the database write lock (waited ${Math.round(waitedMs)} ms); nothing was written — retry in a moment, or find the process holding it (an open sqlite3 shell, a backup tool, another server)`,
    { ...(cause === undefined ? {} : { cause }), details: { waited_ms: Math.round(waitedMs) } },
  );
}

/** STORE_READONLY or STORE_FULL for a write refused by the database at `url`. */
export function writeFaultError(kind: 'readonly' | 'full', url: string, cause?: unknown): CairnError {
  const path = dbPathOf(url);
  const opts = cause === undefined ? {} : { cause };
  if (kind === 'readonly') {
    const where = path ? `database file is read-only: ${readOnlyReason(path) ?? `SQLite may not write ${path}`}` : `database ${url} is read-only`;
    return new CairnError(
      'STORE_READONLY',
      `${where}; nothing was written, reads still work — make the file, its -wal/-shm files and its folder writable by the user running Cairn, or set CAIRN_HOME to a writable folder`,
      opts,
    );
  }
  if (!path) return new CairnError('STORE_FULL', `the database server at ${url} reports it is full; nothing was written — free space on that server`, opts);
  const dir = dirname(path);
  const free = freeBytes(dir);
  return new CairnError('STORE_FULL', fullMessage(dir, free), { ...opts, details: { free_bytes: free, path: dir } });
}

/** Room below which a SQLITE_FULL is taken to be the disk's; above it, the database's own page limit. */
const ROOM = 64 * 1024 ** 2;

/** The STORE_FULL message for a database in `dir` with `free` bytes left on its file system. */
export function fullMessage(dir: string, free: number | null): string {
  if (free !== null && free > ROOM) {
    return `database full: it reached its page limit (PRAGMA max_page_count) while ${free} bytes (${mb(free)}) are free at ${dir}; nothing was written — raise the limit or archive old data`;
  }
  return `disk full: ${free ?? 'unknown'} bytes free at ${dir}${free === null ? '' : ` (${mb(free)})`}; nothing was written — free space on that file system or move CAIRN_HOME to a larger one`;
}
