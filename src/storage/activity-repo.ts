import { num } from './json.js';
import type { Db } from './types.js';

/**
 * Every moment something was recorded in a namespace, as `(namespace = ?1, time >= ?2)` selects:
 * a memory remembered or forgotten, an episode started or completed, a step logged, a task created
 * or changed, energy logged (when it was logged, not the time it describes), a focus session started
 * or stopped, a break, a check-in acknowledged. Reads are not activity.
 */
const ACTIVITY = [
  'SELECT created_at AS at FROM memories WHERE namespace = ?1 AND created_at >= ?2',
  'SELECT deleted_at FROM memories WHERE namespace = ?1 AND deleted_at >= ?2',
  'SELECT started_at FROM episodes WHERE namespace = ?1 AND started_at >= ?2',
  'SELECT completed_at FROM episodes WHERE namespace = ?1 AND completed_at >= ?2',
  'SELECT at FROM episode_steps WHERE namespace = ?1 AND at >= ?2',
  'SELECT created_at FROM adhd_tasks WHERE namespace = ?1 AND created_at >= ?2',
  'SELECT updated_at FROM adhd_tasks WHERE namespace = ?1 AND updated_at >= ?2',
  'SELECT created_at FROM adhd_energy WHERE namespace = ?1 AND created_at >= ?2',
  'SELECT started_at FROM adhd_focus_sessions WHERE namespace = ?1 AND started_at >= ?2',
  'SELECT ended_at FROM adhd_focus_sessions WHERE namespace = ?1 AND ended_at >= ?2',
  'SELECT at FROM adhd_breaks WHERE namespace = ?1 AND at >= ?2',
  'SELECT acknowledged_at FROM adhd_check_ins WHERE namespace = ?1 AND acknowledged_at >= ?2',
].join('\n  UNION ALL ');

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
      const rs = await db.execute(`SELECT MAX(at) AS t FROM (${ACTIVITY})`, [ns, 0]);
      return num(rs.rows[0]?.t);
    },
    async firstGap(ns, since, gapMs) {
      const rs = await db.execute(
        `WITH t(at) AS (${ACTIVITY}),
              g AS (SELECT at, LAG(at) OVER (ORDER BY at) AS prev FROM t)
         SELECT (SELECT MIN(prev) FROM g WHERE at - prev > ?3) AS gap_start, (SELECT MAX(at) FROM t) AS latest`,
        [ns, since, gapMs],
      );
      const row = rs.rows[0];
      return { gapStart: num(row?.gap_start), latest: num(row?.latest) };
    },
  };
}
