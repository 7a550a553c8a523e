import { num } from './json.js';
import type { Db } from './types.js';

/**
 * Every moment something was recorded in a namespace, as `[table, column]`: a memory remembered or
 * forgotten, an episode started or completed, a step logged, a task created or changed, energy
 * logged (when it was logged, not the time it describes), a focus session started or stopped, a
 * break, a check-in acknowledged. Reads are not activity.
 */
const ACTIVITY: ReadonlyArray<readonly [string, string]> = [
  ['memories', 'created_at'],
  ['memories', 'deleted_at'],
  ['episodes', 'started_at'],
  ['episodes', 'completed_at'],
  ['episode_steps', 'at'],
  ['adhd_tasks', 'created_at'],
  ['adhd_tasks', 'updated_at'],
  ['adhd_energy', 'created_at'],
  ['adhd_focus_sessions', 'started_at'],
  ['adhd_focus_sessions', 'ended_at'],
  ['adhd_breaks', 'at'],
  ['adhd_check_ins', 'acknowledged_at'],
];

/** The latest of every column, each read as its own MAX so an index on (namespace, column) answers it. */
const LATEST = `SELECT MAX(t) AS t FROM (${ACTIVITY.map(([table, col]) => `SELECT (SELECT MAX(${col}) FROM ${table} WHERE namespace = ?1 AND ${col} IS NOT NULL) AS t`).join(' UNION ALL ')})`;
/** Every activity time at or after ?2. */
const SINCE = ACTIVITY.map(([table, col]) => `SELECT ${col} AS at FROM ${table} WHERE namespace = ?1 AND ${col} >= ?2`).join(' UNION ALL ');

/** When things happened in a namespace, across memories, episodes and the ADHD records. No rules here. */
export interface ActivityRepo {
  /** The latest moment anything was recorded in the namespace, or null. */
  latest(ns: string): Promise<number | null>;
  /**
   * Looks at the activity from `since` on. `gapStart`: the last activity before the first quiet
   * stretch longer than `gapMs` (null when there is none between activities); `latest`: the last
   * activity at or after `since` (null when there is none).
   */
  firstGap(ns: string, since: number, gapMs: number): Promise<{ gapStart: number | null; latest: number | null }>;
}

/** Creates the activity repository over `db`. */
export function createActivityRepo(db: Db): ActivityRepo {
  return {
    async latest(ns) {
      const rs = await db.execute(LATEST, [ns]);
      return num(rs.rows[0]?.t);
    },
    async firstGap(ns, since, gapMs) {
      const rs = await db.execute(
        `WITH t(at) AS (${SINCE}),
              g AS (SELECT at, LAG(at) OVER (ORDER BY at) AS prev FROM t)
         SELECT (SELECT MIN(prev) FROM g WHERE at - prev > ?3) AS gap_start, (SELECT MAX(at) FROM t) AS latest`,
        [ns, since, gapMs],
      );
      const row = rs.rows[0];
      return { gapStart: num(row?.gap_start), latest: num(row?.latest) };
    },
  };
}
