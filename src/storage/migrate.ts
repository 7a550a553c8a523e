import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { Db } from './types.js';

/**
 * Brings the schema up to date: each pending migration runs in one transaction together with its
 * row in `schema_migrations`, so a crash leaves the database at a whole version. Two processes
 * starting at once are safe: the loser of the write lock re-reads the version and skips.
 * A database newer than this code is refused.
 */
export async function migrate(db: Db, logger: Logger, migrations: Migration[] = MIGRATIONS): Promise<number> {
  await db.execute(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = await currentVersion(db);
  if (current > latest) {
    throw new CairnError(
      'STORE_NEWER_THAN_CODE',
      `database schema is version ${current} but this Cairn knows only up to ${latest}; upgrade cairn-mcp (the database was written by a newer version)`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    await db.transaction(async (tx) => {
      const again = await tx.execute('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
      if (Number(again.rows[0]?.v ?? 0) >= m.version) return;
      for (const sql of m.up) await tx.execute(sql);
      await tx.execute({ sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', args: [m.version, m.name, Date.now()] });
    });
    logger.info('applied migration', { version: m.version, name: m.name });
  }
  return Math.max(current, latest);
}

/** The highest applied migration, 0 for a new database. */
export async function currentVersion(db: Db): Promise<number> {
  const rs = await db.execute('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
  return Number(rs.rows[0]?.v ?? 0);
}
