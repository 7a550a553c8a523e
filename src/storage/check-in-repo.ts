import type { InStatement, Row } from '@libsql/client';
import type { CheckIn } from '../adhd/types.js';
import { finite, finiteOrNull, jsonObject } from './json.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

/** SQL for check-ins. Every statement is scoped by namespace; at most one check-in per condition is open. */
export interface CheckInRepo {
  openCheckIns(ns: string): Promise<CheckIn[]>;
  /** Inserts check-ins (skipping conditions already open) and clears others, atomically. Returns the inserted rows. */
  writeCheckIns(ns: string, create: CheckIn[], clearIds: string[], at: number): Promise<CheckIn[]>;
  /** Marks check-ins acknowledged; returns the ids that exist in the namespace. */
  acknowledge(ns: string, ids: string[], at: number): Promise<string[]>;
  listCheckIns(ns: string, opts: { since: number; includeAcknowledged: boolean; limit: number }): Promise<CheckIn[]>;
}

/** Creates the check-in repository over `db`. */
export function createCheckInRepo(db: Db): CheckInRepo {
  return {
    openCheckIns: async (ns) =>
      mapRows(db, (await db.execute('SELECT * FROM adhd_check_ins WHERE namespace = ? AND cleared_at IS NULL ORDER BY created_at', [ns])).rows, toCheckIn),
    async writeCheckIns(ns, create, clearIds, at) {
      const stmts: InStatement[] = [];
      if (clearIds.length) {
        stmts.push({
          sql: `UPDATE adhd_check_ins SET cleared_at = ? WHERE namespace = ? AND cleared_at IS NULL AND id IN (${clearIds.map(() => '?').join(',')})`,
          args: [at, ns, ...clearIds],
        });
      }
      for (const c of create) {
        stmts.push({
          sql: `INSERT INTO adhd_check_ins (id, namespace, condition_key, kind, severity, message, details, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (namespace, condition_key) WHERE cleared_at IS NULL DO NOTHING RETURNING *`,
          args: [c.id, ns, c.conditionKey, c.kind, c.severity, c.message, JSON.stringify(c.details), c.createdAt],
        });
      }
      if (stmts.length === 0) return [];
      const results = await db.batch(stmts, 'write');
      return results.slice(clearIds.length ? 1 : 0).flatMap((rs) => mapRows(db, rs.rows, toCheckIn));
    },
    async acknowledge(ns, ids, at) {
      if (ids.length === 0) return [];
      const rs = await db.execute(
        `UPDATE adhd_check_ins SET acknowledged_at = COALESCE(acknowledged_at, ?) WHERE namespace = ? AND id IN (${ids.map(() => '?').join(',')}) RETURNING id`,
        [at, ns, ...ids],
      );
      return rs.rows.map((r) => String(r.id));
    },
    async listCheckIns(ns, o) {
      const rs = await db.execute(
        `SELECT * FROM adhd_check_ins WHERE namespace = ? AND created_at >= ?
           ${o.includeAcknowledged ? '' : 'AND acknowledged_at IS NULL AND cleared_at IS NULL'}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [ns, o.since, o.limit],
      );
      return mapRows(db, rs.rows, toCheckIn);
    },
  };
}

const toCheckIn = rowMapper(
  'adhd_check_ins',
  (r: Row): CheckIn => ({
    id: String(r.id),
    namespace: String(r.namespace),
    conditionKey: String(r.condition_key),
    kind: String(r.kind),
    severity: String(r.severity),
    message: String(r.message),
    details: jsonObject(r.details, 'details'),
    createdAt: finite(r.created_at, 'created_at'),
    acknowledgedAt: finiteOrNull(r.acknowledged_at, 'acknowledged_at'),
    clearedAt: finiteOrNull(r.cleared_at, 'cleared_at'),
  }),
);
