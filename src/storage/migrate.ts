import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/types.js';
import type { Db } from './types.js';

/**
 * Brings the schema up to date: each migration not yet recorded in `schema_migrations` runs, in
 * version order, in one transaction together with its record, so a crash leaves whole migrations
 * only. Two processes starting at once are safe: the loser of the write lock re-checks and skips.
 * A database with a migration this code does not know (written by a newer Cairn) is refused.
 */
export async function migrate(db: Db, logger: Logger, migrations: Migration[] = MIGRATIONS): Promise<number> {
  await db.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const known = new Set(migrations.map((m) => m.version));
  const applied = await appliedVersions(db);
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0) {
    const latest = Math.max(0, ...known);
    throw new CairnError(
      'STORE_NEWER_THAN_CODE',
      `database schema is version ${Math.max(...unknown)} but this Cairn knows only up to ${latest}; upgrade cairn-mcp (the database was written by a newer version)`,
    );
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    const ran = await db.transaction(async (tx) => {
      const again = await tx.execute('SELECT 1 FROM schema_migrations WHERE version = ?', [m.version]);
      if (again.rows.length > 0) return false;
      for (const sql of m.up) await tx.execute(sql);
      await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      return true;
    });
    if (ran) logger.info('applied migration', { version: m.version, name: m.name });
  }
  return Math.max(0, ...known);
}

/** Versions already applied to this database. */
export async function appliedVersions(db: Db): Promise<Set<number>> {
  const rs = await db.execute('SELECT version FROM schema_migrations');
  return new Set(rs.rows.map((r) => Number(r.version)));
}

/**
 * Names this database: when its first migration was applied (epoch ms, as text). A copy of the
 * file keeps it; a database created anew gets another. Empty before `migrate`.
 */
export async function databaseId(db: Db): Promise<string> {
  const rs = await db.execute('SELECT applied_at FROM schema_migrations ORDER BY version LIMIT 1');
  return rs.rows.length > 0 ? String(rs.rows[0]!.applied_at) : '';
}

/** The highest applied migration, 0 for a new database. */
export async function currentVersion(db: Db): Promise<number> {
  return Math.max(0, ...(await appliedVersions(db)));
}
