import type { Row } from '@libsql/client';
import { createLogger, type Logger } from '../logger.js';

/** Maps a stored row of `table` to a record; throws (naming the column) when the row cannot be read. */
export interface RowMapper<T> {
  (row: Row): T;
  readonly table: string;
}

/** Names a mapper with its table, for the report when a row is skipped. */
export function rowMapper<T>(table: string, map: (row: Row) => T): RowMapper<T> {
  return Object.assign((row: Row) => map(row), { table });
}

/** Rows that readers skipped because a value in them could not be read. */
export interface SkippedRows {
  /** Logs the row (once per row and process) and counts it. */
  report(table: string, id: string, reason: string): void;
  /** Distinct rows skipped so far, per table. */
  counts(): Record<string, number>;
}

const MAX_REMEMBERED = 10_000;

/** Creates a report that logs each skipped row once, at warn level, with its table, id and reason. */
export function createSkippedRows(logger: Logger): SkippedRows {
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  return {
    report(table, id, reason) {
      const key = `${table}\u0000${id}`;
      if (seen.has(key)) return;
      if (seen.size < MAX_REMEMBERED) seen.add(key);
      counts[table] = (counts[table] ?? 0) + 1;
      logger.warn('skipped a stored row that cannot be read; the rest of the answer is complete', { table, id, reason, skipped_in_table: counts[table] });
    },
    counts: () => ({ ...counts }),
  };
}

// Keyed by the database handle the repositories share, so each app reports to its own logger
// without every repository factory taking one more option.
const reports = new WeakMap<object, SkippedRows>();
let fallback: SkippedRows | undefined;

/** Sends rows skipped by readers over `db` to `report` (createApp does this with its logger). */
export function reportSkippedRows(db: object, report: SkippedRows): void {
  reports.set(db, report);
}

/** The report for `db`: the one registered, else one logging to stderr. */
export function skippedRowsOf(db: object): SkippedRows {
  const registered = reports.get(db);
  if (registered) return registered;
  fallback ??= createSkippedRows(createLogger('warn'));
  return fallback;
}

/**
 * Maps rows with `map`, skipping (and reporting) each row it throws on, so one bad stored row never
 * fails a whole query.
 */
export function mapRows<T>(db: object, rows: readonly Row[], map: RowMapper<T>): T[] {
  const out: T[] = [];
  for (const row of rows) {
    try {
      out.push(map(row));
    } catch (err) {
      skippedRowsOf(db).report(map.table, rowId(row), err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

/** The first row mapped, or null when there is none or it cannot be read. */
export function mapFirst<T>(db: object, rows: readonly Row[], map: RowMapper<T>): T | null {
  return mapRows(db, rows.slice(0, 1), map)[0] ?? null;
}

function rowId(row: Row): string {
  if (row.id !== undefined && row.id !== null) return String(row.id);
  if (row.episode_id !== undefined && row.step_number !== undefined) return `${String(row.episode_id)} step ${String(row.step_number)}`;
  if (row.item_id !== undefined) return String(row.item_id);
  return 'unknown';
}
