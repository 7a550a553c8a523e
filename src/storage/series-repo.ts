import type { Db, SqlArgs } from './types.js';

/** Per-bucket aggregates of completed episodes that can be read as a series. */
export type EpisodeMetric = 'success_rate' | 'reward' | 'duration_ms' | 'step_count';

/** One bucket of a series: its index (UTC days or Monday-based weeks since the epoch), the mean and how many episodes. */
export interface SeriesPoint {
  bucket: number;
  value: number;
  episodes: number;
}

/** What to aggregate. */
export interface SeriesQuery {
  metric: EpisodeMetric;
  bucket: 'day' | 'week';
  taskType?: string;
  domain?: string;
}

/** SQL for time series over stored episodes. */
export interface SeriesRepo {
  /** Buckets with at least one completed episode, oldest first (empty buckets have no row). */
  episodeSeries(ns: string, q: SeriesQuery): Promise<SeriesPoint[]>;
}

const DAY_MS = 86_400_000;

/** Per-episode value of each metric. */
const VALUE: Record<EpisodeMetric, string> = {
  success_rate: "CASE WHEN e.outcome_type = 'success' THEN 1.0 ELSE 0.0 END",
  reward: 'e.reward',
  duration_ms: '(e.completed_at - e.started_at)',
  step_count: '(SELECT COUNT(*) FROM episode_steps s WHERE s.episode_id = e.id)',
};

/** Creates the series repository over `db`. */
export function createSeriesRepo(db: Db): SeriesRepo {
  return {
    async episodeSeries(ns, q) {
      const day = `CAST(e.completed_at / ${DAY_MS} AS INTEGER)`;
      // 1970-01-01 was a Thursday: adding 3 days makes weeks start on Monday (ISO).
      const bucket = q.bucket === 'day' ? day : `CAST((${day} + 3) / 7 AS INTEGER)`;
      const parts = ['e.namespace = ?', "e.status = 'completed'", 'e.completed_at IS NOT NULL'];
      const args: SqlArgs = [ns];
      if (q.taskType !== undefined) {
        parts.push('e.task_type = ?');
        args.push(q.taskType);
      }
      if (q.domain !== undefined) {
        parts.push('e.domain = ?');
        args.push(q.domain);
      }
      if (q.metric === 'reward') parts.push('e.reward IS NOT NULL');
      const rs = await db.execute(
        `SELECT ${bucket} AS bucket, AVG(${VALUE[q.metric]}) AS value, COUNT(*) AS n
         FROM episodes e WHERE ${parts.join(' AND ')} GROUP BY bucket ORDER BY bucket`,
        args,
      );
      return rs.rows.map((r) => ({ bucket: Number(r.bucket), value: Number(r.value), episodes: Number(r.n) }));
    },
  };
}
