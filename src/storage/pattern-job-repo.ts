import type { Row } from '@libsql/client';
import type { MergeOp, PatternJob, PatternWrite } from '../patterns/types.js';
import { finite, jsonObject, oneOf } from './json.js';
import { CHUNK, MAX_EPISODE_IDS, upsertStatement, wilsonSql } from './pattern-sql.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

/** SQL for the durable queue of pattern work. Writes that finish a job are atomic and happen at most once. */
export interface PatternJobRepo {
  /**
   * Applies a deferred extraction atomically, exactly once: the upserts, a follow-up merge job
   * and the removal of `jobId` happen together, and nothing happens if `jobId` is already gone.
   * A pattern that already counts the episode is not counted again.
   */
  applyExtractJob(jobId: string, ns: string, writes: PatternWrite[], mergeJob: PatternJob | null): Promise<void>;
  /** Applies merges and removes `jobId` atomically, exactly once (nothing happens if the job is gone). */
  applyMergeJob(jobId: string, merges: MergeOp[], at: number): Promise<void>;
  /** Jobs still to do (fewer than `maxAttempts` failures), oldest first. */
  listJobs(limit: number, maxAttempts: number): Promise<PatternJob[]>;
  failJob(id: string, error: string): Promise<void>;
  countJobs(ns?: string): Promise<number>;
}

/** Creates the job repository over `db`. */
export function createPatternJobRepo(db: Db): PatternJobRepo {
  return {
    async applyExtractJob(jobId, ns, writes, mergeJob) {
      const stmts: Array<{ sql: string; args: SqlArgs }> = [];
      for (let i = 0; i < writes.length; i += CHUNK) stmts.push(upsertStatement(ns, writes.slice(i, i + CHUNK), jobId));
      if (mergeJob) {
        stmts.push({
          sql: `INSERT INTO pattern_jobs (id, namespace, episode_id, kind, payload, created_at, attempts)
                SELECT ?, ?, ?, 'merge', ?, ?, 0 WHERE EXISTS (SELECT 1 FROM pattern_jobs WHERE id = ?)`,
          args: [mergeJob.id, mergeJob.namespace, mergeJob.episodeId, JSON.stringify(mergeJob.payload), mergeJob.createdAt, jobId],
        });
      }
      stmts.push({ sql: 'DELETE FROM pattern_jobs WHERE id = ?', args: [jobId] });
      await db.batch(stmts as never, 'write');
    },

    async applyMergeJob(jobId, merges, at) {
      const guard = 'EXISTS (SELECT 1 FROM pattern_jobs WHERE id = ?)';
      const stmts: Array<{ sql: string; args: SqlArgs }> = [];
      for (const m of merges) {
        stmts.push({
          // Statistics of the source move into the target; both must still be live.
          sql: `UPDATE patterns AS t SET
                  occurrences = t.occurrences + s.occurrences,
                  successes = t.successes + s.successes,
                  latency_total = t.latency_total + s.latency_total,
                  latency_count = t.latency_count + s.latency_count,
                  wilson = ${wilsonSql('t.occurrences + s.occurrences', 't.successes + s.successes')},
                  episode_ids = (SELECT json_group_array(value) FROM (SELECT value FROM (
                      SELECT value FROM (SELECT value FROM json_each(t.episode_ids) UNION SELECT value FROM json_each(s.episode_ids))
                      ORDER BY value DESC LIMIT ${MAX_EPISODE_IDS}) ORDER BY value ASC)),
                  first_seen = min(t.first_seen, s.first_seen),
                  last_seen = max(t.last_seen, s.last_seen),
                  updated_at = ?
                FROM (SELECT * FROM patterns WHERE id = ? AND merged_into IS NULL) AS s
                WHERE t.id = ? AND t.merged_into IS NULL AND ${guard}`,
          args: [at, m.sourceId, m.targetId, jobId],
        });
        stmts.push({
          sql: `UPDATE patterns SET merged_into = ?, updated_at = ?
                WHERE id = ? AND merged_into IS NULL AND EXISTS (SELECT 1 FROM patterns WHERE id = ? AND merged_into IS NULL) AND ${guard}`,
          args: [m.targetId, at, m.sourceId, m.targetId, jobId],
        });
        // Aliases that pointed at the source now point straight at the target.
        stmts.push({
          sql: `UPDATE patterns SET merged_into = ? WHERE merged_into = ? AND EXISTS (SELECT 1 FROM patterns WHERE id = ? AND merged_into = ?) AND ${guard}`,
          args: [m.targetId, m.sourceId, m.sourceId, m.targetId, jobId],
        });
      }
      stmts.push({ sql: 'DELETE FROM pattern_jobs WHERE id = ?', args: [jobId] });
      await db.batch(stmts as never, 'write');
    },

    async listJobs(limit, maxAttempts) {
      const rs = await db.execute('SELECT * FROM pattern_jobs WHERE attempts < ? ORDER BY created_at, id LIMIT ?', [maxAttempts, limit]);
      return mapRows(db, rs.rows, toJob);
    },

    async failJob(id, error) {
      await db.execute('UPDATE pattern_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?', [error.slice(0, 2000), id]);
    },

    async countJobs(ns) {
      const rs =
        ns === undefined
          ? await db.execute('SELECT COUNT(*) AS n FROM pattern_jobs')
          : await db.execute('SELECT COUNT(*) AS n FROM pattern_jobs WHERE namespace = ?', [ns]);
      return Number(rs.rows[0]?.n ?? 0);
    },
  };
}

const toJob = rowMapper(
  'pattern_jobs',
  (r: Row): PatternJob => ({
    id: String(r.id),
    namespace: String(r.namespace),
    episodeId: String(r.episode_id),
    kind: oneOf(r.kind, ['extract', 'merge'] as const, 'kind'),
    payload: jsonObject(r.payload, 'payload'),
    createdAt: finite(r.created_at, 'created_at'),
    attempts: finite(r.attempts, 'attempts'),
  }),
);
