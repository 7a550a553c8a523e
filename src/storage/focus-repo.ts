import type { InStatement, Row } from '@libsql/client';
import { BREAK_KINDS, type Break, type BreakKind, type FocusSession, type TaskPatch } from '../adhd/types.js';
import { finite, finiteOrNull, oneOf, str } from './json.js';
import { mapRows, rowMapper } from './rows.js';
import { taskPatchStatement } from './task-repo.js';
import type { Db, SqlArgs } from './types.js';

/** SQL for focus sessions and breaks. Every statement is scoped by namespace. */
export interface FocusRepo {
  activeSession(ns: string): Promise<FocusSession | null>;
  /** Ends `endActive` (if given), inserts `session` and applies `taskPatches`, all in one batch. */
  startSession(session: FocusSession, endActive: { id: string; at: number } | null, taskPatches?: Array<{ id: string; patch: TaskPatch }>): Promise<void>;
  /** Ends a running session and applies `taskPatches`, in one batch; false when it was not running. */
  endSession(ns: string, id: string, at: number, taskPatches?: Array<{ id: string; patch: TaskPatch }>): Promise<boolean>;
  /** Sessions overlapping `[since, ∞)`, oldest first. */
  sessionsSince(ns: string, since: number): Promise<FocusSession[]>;
  lastSession(ns: string): Promise<FocusSession | null>;
  insertBreak(row: Break): Promise<void>;
  /** Breaks with `since <= at <= until`, oldest first. */
  breaksBetween(ns: string, since: number, until: number): Promise<Break[]>;
  /** The latest break of each kind at or before `at`. */
  lastBreaks(ns: string, at: number): Promise<Partial<Record<BreakKind, number>>>;
  /** When a session last started or ended, or a break was taken, or null. */
  lastActivityAt(ns: string): Promise<number | null>;
  /** Namespaces holding any focus session. */
  namespaces(): Promise<string[]>;
}

/** Creates the focus repository over `db`. */
export function createFocusRepo(db: Db): FocusRepo {
  const sessions = async (sql: string, args: SqlArgs) => mapRows(db, (await db.execute(sql, args)).rows, toSession);
  return {
    activeSession: async (ns) => (await sessions('SELECT * FROM adhd_focus_sessions WHERE namespace = ? AND ended_at IS NULL', [ns]))[0] ?? null,
    async startSession(s, endActive, taskPatches = []) {
      const stmts: InStatement[] = [];
      if (endActive)
        stmts.push({
          sql: 'UPDATE adhd_focus_sessions SET ended_at = ? WHERE namespace = ? AND id = ? AND ended_at IS NULL',
          args: [endActive.at, s.namespace, endActive.id],
        });
      stmts.push({
        sql: 'INSERT INTO adhd_focus_sessions (id, namespace, task_id, topic, started_at, ended_at) VALUES (?, ?, ?, ?, ?, NULL)',
        args: [s.id, s.namespace, s.taskId, s.topic, s.startedAt],
      });
      await db.batch([...stmts, ...taskPatches.map((p) => taskPatchStatement(s.namespace, p.id, p.patch))], 'write');
    },
    async endSession(ns, id, at, taskPatches = []) {
      const end = { sql: 'UPDATE adhd_focus_sessions SET ended_at = ? WHERE namespace = ? AND id = ? AND ended_at IS NULL', args: [at, ns, id] };
      const [rs] = await db.batch([end, ...taskPatches.map((p) => taskPatchStatement(ns, p.id, p.patch))], 'write');
      return rs?.rowsAffected === 1;
    },
    sessionsSince: (ns, since) =>
      sessions('SELECT * FROM adhd_focus_sessions WHERE namespace = ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at', [ns, since]),
    lastSession: async (ns) =>
      (await sessions('SELECT * FROM adhd_focus_sessions WHERE namespace = ? ORDER BY (ended_at IS NULL) DESC, started_at DESC LIMIT 1', [ns]))[0] ?? null,
    async insertBreak(b) {
      await db.execute('INSERT INTO adhd_breaks (id, namespace, session_id, kind, at) VALUES (?, ?, ?, ?, ?)', [b.id, b.namespace, b.sessionId, b.kind, b.at]);
    },
    breaksBetween: async (ns, since, until) =>
      mapRows(db, (await db.execute('SELECT * FROM adhd_breaks WHERE namespace = ? AND at BETWEEN ? AND ? ORDER BY at', [ns, since, until])).rows, toBreak),
    async lastBreaks(ns, at) {
      const rs = await db.execute('SELECT kind, MAX(at) AS at FROM adhd_breaks WHERE namespace = ? AND at <= ? GROUP BY kind', [ns, at]);
      return Object.fromEntries(mapRows(db, rs.rows, toLastBreak)) as Partial<Record<BreakKind, number>>;
    },
    async lastActivityAt(ns) {
      const rs = await db.execute(
        `SELECT MAX(COALESCE((SELECT MAX(MAX(started_at, COALESCE(ended_at, 0))) FROM adhd_focus_sessions WHERE namespace = ?1), 0),
                    COALESCE((SELECT MAX(at) FROM adhd_breaks WHERE namespace = ?1), 0)) AS t`,
        [ns],
      );
      const t = Number(rs.rows[0]?.t ?? 0);
      return t > 0 ? t : null;
    },
    namespaces: async () => (await db.execute('SELECT DISTINCT namespace FROM adhd_focus_sessions')).rows.map((r) => String(r.namespace)),
  };
}

const toSession = rowMapper(
  'adhd_focus_sessions',
  (r: Row): FocusSession => ({
    id: String(r.id),
    namespace: String(r.namespace),
    taskId: str(r.task_id),
    topic: str(r.topic),
    startedAt: finite(r.started_at, 'started_at'),
    endedAt: finiteOrNull(r.ended_at, 'ended_at'),
  }),
);

const toBreak = rowMapper(
  'adhd_breaks',
  (r: Row): Break => ({
    id: String(r.id),
    namespace: String(r.namespace),
    sessionId: str(r.session_id),
    kind: oneOf(r.kind, BREAK_KINDS, 'kind'),
    at: finite(r.at, 'at'),
  }),
);

const toLastBreak = rowMapper('adhd_breaks', (r: Row) => [oneOf(r.kind, BREAK_KINDS, 'kind'), finite(r.at, 'at')] as const);
