import type { InStatement, Row } from '@libsql/client';
import { finite, finiteOrNull, jsonList, jsonObject, oneOf, oneOfOrNull, str } from './json.js';
import { mapRows, rowMapper, type RowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

export const TASK_STATUSES = ['todo', 'doing', 'done', 'dropped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const ENERGY_DEMANDS = ['low', 'medium', 'high'] as const;
export type EnergyDemand = (typeof ENERGY_DEMANDS)[number];
export const ATTENTION_STATES = ['focused', 'flow', 'neutral', 'scattered', 'hyperfocus', 'depleted'] as const;
export type AttentionState = (typeof ATTENTION_STATES)[number];
export const BREAK_KINDS = ['break', 'water', 'movement', 'meal'] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];
/** Who estimated a step: the caller, the client's model, a default, the fixed starter, or a sum of children. */
export const ESTIMATE_SOURCES = ['client', 'model', 'default', 'starter', 'sum'] as const;
export type EstimateSource = (typeof ESTIMATE_SOURCES)[number];

/** One node of a task tree (a root task or a step). */
export interface TaskRow {
  id: string;
  namespace: string;
  rootId: string;
  parentId: string | null;
  position: number;
  title: string;
  category: string | null;
  energy: EnergyDemand | null;
  needsFocus: boolean;
  isStarter: boolean;
  rawMinutes: number | null;
  estimateSource: EstimateSource;
  realisticMinutes: number | null;
  multiplier: number | null;
  why: string | null;
  status: TaskStatus;
  actualMinutes: number | null;
  notes: Array<{ at: number; text: string }>;
  deadline: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/** Fields an update may change. `completedAt: null` clears it; `undefined` leaves it. */
export interface TaskPatch {
  status?: TaskStatus;
  actualMinutes?: number;
  note?: { at: number; text: string };
  startedAt?: number;
  completedAt?: number | null;
  updatedAt: number;
}

export interface EnergyRow {
  id: string;
  namespace: string;
  at: number;
  level: number;
  attention: AttentionState;
  mood: string | null;
  note: string | null;
  createdAt: number;
}

export interface FocusSessionRow {
  id: string;
  namespace: string;
  taskId: string | null;
  topic: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface BreakRow {
  id: string;
  namespace: string;
  sessionId: string | null;
  kind: BreakKind;
  at: number;
}

export interface CheckInRow {
  id: string;
  namespace: string;
  conditionKey: string;
  kind: string;
  severity: string;
  message: string;
  details: Record<string, unknown>;
  createdAt: number;
  acknowledgedAt: number | null;
  clearedAt: number | null;
}

/** A task in `doing` with when anything last touched it (its row or a focus session on it). */
export type DoingTaskRow = TaskRow & { lastActivityAt: number; inFocus: boolean };

/** SQL for ADHD support. Stores rows; every statement is scoped by namespace; no rules here. */
export interface AdhdRepo {
  /** Inserts task nodes atomically (parents before children). */
  insertTasks(rows: TaskRow[]): Promise<void>;
  getTask(ns: string, id: string): Promise<TaskRow | null>;
  /** Every node of one tree, parents before children, siblings by position. */
  tree(ns: string, rootId: string): Promise<TaskRow[]>;
  children(ns: string, parentId: string): Promise<TaskRow[]>;
  /** Applies patches atomically; returns the updated rows (missing ids are skipped). */
  updateTasks(ns: string, patches: Array<{ id: string; patch: TaskPatch }>): Promise<TaskRow[]>;
  /** Roots in todo/doing, doing first, most recently touched first. */
  openRoots(ns: string, limit: number): Promise<TaskRow[]>;
  /** Open nodes without open children: the steps someone could do next. */
  openLeaves(ns: string, limit: number): Promise<TaskRow[]>;
  /** Nodes in `doing` without open children (a parent is represented by its open steps). */
  doingTasks(ns: string, limit: number): Promise<DoingTaskRow[]>;
  /** Done nodes with an actual and a raw estimate from one of `sources`, newest first. */
  completedEstimates(ns: string, sources: readonly EstimateSource[], limit: number): Promise<TaskRow[]>;

  insertEnergy(row: EnergyRow): Promise<void>;
  /** Readings with `since <= at <= until`, oldest first. */
  energyBetween(ns: string, since: number, until: number): Promise<EnergyRow[]>;
  /** The latest reading at or before `at`. */
  latestEnergy(ns: string, at: number): Promise<EnergyRow | null>;

  activeSession(ns: string): Promise<FocusSessionRow | null>;
  /** Ends `endActive` (if given), inserts `session` and runs `also`, all in one batch. */
  startSession(session: FocusSessionRow, endActive: { id: string; at: number } | null, also?: InStatement[]): Promise<void>;
  endSession(ns: string, id: string, at: number): Promise<boolean>;
  /** Sessions overlapping `[since, ∞)`, oldest first. */
  sessionsSince(ns: string, since: number): Promise<FocusSessionRow[]>;
  lastSession(ns: string): Promise<FocusSessionRow | null>;
  insertBreak(row: BreakRow): Promise<void>;
  /** The latest break of each kind at or before `at`. */
  lastBreaks(ns: string, at: number): Promise<Partial<Record<BreakKind, number>>>;
  /** The statement `updateTasks` runs for one patch (for `startSession`'s `also`). */
  taskPatchStatement(ns: string, id: string, patch: TaskPatch): InStatement;

  openCheckIns(ns: string): Promise<CheckInRow[]>;
  /** Inserts check-ins (skipping conditions already open) and clears others, atomically. Returns the inserted rows. */
  writeCheckIns(ns: string, create: CheckInRow[], clearIds: string[], at: number): Promise<CheckInRow[]>;
  /** Marks check-ins acknowledged; returns the ids that exist in the namespace. */
  acknowledge(ns: string, ids: string[], at: number): Promise<string[]>;
  listCheckIns(ns: string, opts: { since: number; includeAcknowledged: boolean; limit: number }): Promise<CheckInRow[]>;

  /** Latest live memories (read-only view over the memories table). */
  recentMemories(ns: string, limit: number): Promise<Array<{ id: string; content: string; kind: string; createdAt: number }>>;
  /** The latest time anything was recorded in the namespace (ADHD rows, episode steps, memories). */
  lastActivityAt(ns: string): Promise<number | null>;
  /** Namespaces holding any ADHD row or an open episode (what the check-in monitor visits). */
  namespaces(): Promise<string[]>;
}

const OPEN = `status IN ('todo', 'doing')`;

/** Creates the ADHD repository over `db`. */
export function createAdhdRepo(db: Db): AdhdRepo {
  const rows = async <T>(sql: string, args: SqlArgs, map: RowMapper<T>) => mapRows(db, (await db.execute(sql, args)).rows, map);
  const first = async <T>(sql: string, args: SqlArgs, map: RowMapper<T>) => (await rows(sql, args, map))[0] ?? null;
  return {
    async insertTasks(list) {
      if (list.length === 0) return;
      await db.batch(list.map(insertTaskStmt), 'write');
    },
    getTask: (ns, id) => first('SELECT * FROM adhd_tasks WHERE namespace = ? AND id = ?', [ns, id], toTask),
    tree: (ns, rootId) =>
      rows(`SELECT * FROM adhd_tasks WHERE namespace = ? AND root_id = ? ORDER BY (parent_id IS NOT NULL), created_at, position`, [ns, rootId], toTask),
    children: (ns, parentId) => rows('SELECT * FROM adhd_tasks WHERE namespace = ? AND parent_id = ? ORDER BY position', [ns, parentId], toTask),
    async updateTasks(ns, patches) {
      if (patches.length === 0) return [];
      const results = await db.batch(patches.map(({ id, patch }) => updateTaskStmt(ns, id, patch)), 'write');
      return results.flatMap((rs) => mapRows(db, rs.rows, toTask));
    },
    openRoots: (ns, limit) =>
      rows(`SELECT * FROM adhd_tasks WHERE namespace = ? AND parent_id IS NULL AND ${OPEN} ORDER BY (status = 'doing') DESC, updated_at DESC LIMIT ?`, [ns, limit], toTask),
    openLeaves: (ns, limit) =>
      rows(
        `SELECT * FROM adhd_tasks t WHERE t.namespace = ? AND t.${OPEN}
           AND NOT EXISTS (SELECT 1 FROM adhd_tasks c WHERE c.parent_id = t.id AND c.${OPEN})
         ORDER BY (t.status = 'doing') DESC, t.updated_at DESC, t.position LIMIT ?`,
        [ns, limit],
        toTask,
      ),
    doingTasks: (ns, limit) =>
      rows(
        `SELECT t.*,
                MAX(t.updated_at, COALESCE((SELECT MAX(COALESCE(f.ended_at, f.started_at)) FROM adhd_focus_sessions f WHERE f.namespace = t.namespace AND f.task_id = t.id), 0)) AS last_activity,
                EXISTS (SELECT 1 FROM adhd_focus_sessions f WHERE f.namespace = t.namespace AND f.task_id = t.id AND f.ended_at IS NULL) AS in_focus
         FROM adhd_tasks t WHERE t.namespace = ? AND t.status = 'doing'
           AND NOT EXISTS (SELECT 1 FROM adhd_tasks c WHERE c.parent_id = t.id AND c.${OPEN})
         ORDER BY t.updated_at DESC LIMIT ?`,
        [ns, limit],
        rowMapper('adhd_tasks', (r) => ({ ...toTask(r), lastActivityAt: Number(r.last_activity), inFocus: Number(r.in_focus) === 1 })),
      ),
    completedEstimates: (ns, sources, limit) =>
      rows(
        `SELECT * FROM adhd_tasks WHERE namespace = ? AND status = 'done' AND actual_minutes > 0 AND raw_minutes > 0
           AND estimate_source IN (${sources.map(() => '?').join(',')})
         ORDER BY completed_at DESC LIMIT ?`,
        [ns, ...sources, limit],
        toTask,
      ),

    async insertEnergy(r) {
      await db.execute('INSERT INTO adhd_energy (id, namespace, at, level, attention, mood, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        r.id, r.namespace, r.at, r.level, r.attention, r.mood, r.note, r.createdAt,
      ]);
    },
    energyBetween: (ns, since, until) => rows('SELECT * FROM adhd_energy WHERE namespace = ? AND at >= ? AND at <= ? ORDER BY at, id', [ns, since, until], toEnergy),
    latestEnergy: (ns, at) => first('SELECT * FROM adhd_energy WHERE namespace = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1', [ns, at], toEnergy),

    activeSession: (ns) => first('SELECT * FROM adhd_focus_sessions WHERE namespace = ? AND ended_at IS NULL', [ns], toSession),
    async startSession(s, endActive, also = []) {
      const stmts: InStatement[] = [];
      if (endActive) stmts.push({ sql: 'UPDATE adhd_focus_sessions SET ended_at = ? WHERE namespace = ? AND id = ? AND ended_at IS NULL', args: [endActive.at, s.namespace, endActive.id] });
      stmts.push({
        sql: 'INSERT INTO adhd_focus_sessions (id, namespace, task_id, topic, started_at, ended_at) VALUES (?, ?, ?, ?, ?, NULL)',
        args: [s.id, s.namespace, s.taskId, s.topic, s.startedAt],
      });
      await db.batch([...stmts, ...also], 'write');
    },
    async endSession(ns, id, at) {
      const rs = await db.execute('UPDATE adhd_focus_sessions SET ended_at = ? WHERE namespace = ? AND id = ? AND ended_at IS NULL', [at, ns, id]);
      return rs.rowsAffected === 1;
    },
    sessionsSince: (ns, since) =>
      rows('SELECT * FROM adhd_focus_sessions WHERE namespace = ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at', [ns, since], toSession),
    lastSession: (ns) => first('SELECT * FROM adhd_focus_sessions WHERE namespace = ? ORDER BY (ended_at IS NULL) DESC, started_at DESC LIMIT 1', [ns], toSession),
    async insertBreak(b) {
      await db.execute('INSERT INTO adhd_breaks (id, namespace, session_id, kind, at) VALUES (?, ?, ?, ?, ?)', [b.id, b.namespace, b.sessionId, b.kind, b.at]);
    },
    async lastBreaks(ns, at) {
      const list = await rows('SELECT kind, MAX(at) AS at FROM adhd_breaks WHERE namespace = ? AND at <= ? GROUP BY kind', [ns, at], toLastBreak);
      return Object.fromEntries(list) as Partial<Record<BreakKind, number>>;
    },
    taskPatchStatement: updateTaskStmt,

    openCheckIns: (ns) => rows('SELECT * FROM adhd_check_ins WHERE namespace = ? AND cleared_at IS NULL ORDER BY created_at', [ns], toCheckIn),
    async writeCheckIns(ns, create, clearIds, at) {
      const stmts: InStatement[] = [];
      if (clearIds.length) {
        stmts.push({ sql: `UPDATE adhd_check_ins SET cleared_at = ? WHERE namespace = ? AND cleared_at IS NULL AND id IN (${clearIds.map(() => '?').join(',')})`, args: [at, ns, ...clearIds] });
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
    listCheckIns: (ns, o) =>
      rows(
        `SELECT * FROM adhd_check_ins WHERE namespace = ? AND created_at >= ?
           ${o.includeAcknowledged ? '' : 'AND acknowledged_at IS NULL AND cleared_at IS NULL'}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [ns, o.since, o.limit],
        toCheckIn,
      ),

    recentMemories: (ns, limit) =>
      rows(
        'SELECT id, content, kind, created_at FROM memories WHERE namespace = ? AND deleted_at IS NULL ORDER BY created_at DESC, id DESC LIMIT ?',
        [ns, limit],
        rowMapper('memories', (r) => ({ id: String(r.id), content: String(r.content), kind: String(r.kind), createdAt: finite(r.created_at, 'created_at') })),
      ),
    async lastActivityAt(ns) {
      const rs = await db.execute(
        `SELECT MAX(
           COALESCE((SELECT MAX(updated_at) FROM adhd_tasks WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(at) FROM adhd_energy WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(MAX(started_at, COALESCE(ended_at, 0))) FROM adhd_focus_sessions WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(at) FROM adhd_breaks WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(at) FROM episode_steps WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(started_at) FROM episodes WHERE namespace = ?1), 0),
           COALESCE((SELECT MAX(created_at) FROM memories WHERE namespace = ?1), 0)
         ) AS t`,
        [ns],
      );
      const t = Number(rs.rows[0]?.t ?? 0);
      return t > 0 ? t : null;
    },
    namespaces: () =>
      rows(
        `SELECT namespace FROM adhd_tasks UNION SELECT namespace FROM adhd_energy UNION SELECT namespace FROM adhd_focus_sessions
         UNION SELECT namespace FROM episodes WHERE status = 'open' ORDER BY namespace`,
        [],
        rowMapper('namespaces', (r) => String(r.namespace)),
      ),
  };
}

function insertTaskStmt(t: TaskRow): InStatement {
  return {
    sql: `INSERT INTO adhd_tasks (id, namespace, root_id, parent_id, position, title, category, energy, needs_focus, is_starter, raw_minutes,
            estimate_source, realistic_minutes, multiplier, why, status, actual_minutes, notes, deadline, created_at, updated_at, started_at, completed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      t.id, t.namespace, t.rootId, t.parentId, t.position, t.title, t.category, t.energy, t.needsFocus ? 1 : 0, t.isStarter ? 1 : 0, t.rawMinutes,
      t.estimateSource, t.realisticMinutes, t.multiplier, t.why, t.status, t.actualMinutes, JSON.stringify(t.notes), t.deadline, t.createdAt, t.updatedAt,
      t.startedAt, t.completedAt,
    ],
  };
}

function updateTaskStmt(ns: string, id: string, p: TaskPatch): InStatement {
  const sets: string[] = ['updated_at = ?'];
  const args: SqlArgs = [p.updatedAt];
  const set = (clause: string, ...values: SqlArgs) => {
    sets.push(clause);
    args.push(...values);
  };
  if (p.status !== undefined) set('status = ?', p.status);
  if (p.actualMinutes !== undefined) set('actual_minutes = ?', p.actualMinutes);
  if (p.startedAt !== undefined) set('started_at = COALESCE(started_at, ?)', p.startedAt);
  if (p.completedAt !== undefined) set('completed_at = ?', p.completedAt);
  if (p.note !== undefined) set(`notes = json_insert(notes, '$[#]', json_object('at', ?, 'text', ?))`, p.note.at, p.note.text);
  return { sql: `UPDATE adhd_tasks SET ${sets.join(', ')} WHERE namespace = ? AND id = ? RETURNING *`, args: [...args, ns, id] };
}

const isNote = (n: unknown): n is { at: number; text: string } =>
  typeof n === 'object' && n !== null && typeof (n as { at?: unknown }).at === 'number' && typeof (n as { text?: unknown }).text === 'string';

const toTask = rowMapper(
  'adhd_tasks',
  (r: Row): TaskRow => ({
    id: String(r.id),
    namespace: String(r.namespace),
    rootId: String(r.root_id),
    parentId: str(r.parent_id),
    position: finite(r.position, 'position'),
    title: String(r.title),
    category: str(r.category),
    energy: oneOfOrNull(r.energy, ENERGY_DEMANDS, 'energy'),
    needsFocus: Number(r.needs_focus) === 1,
    isStarter: Number(r.is_starter) === 1,
    rawMinutes: finiteOrNull(r.raw_minutes, 'raw_minutes'),
    estimateSource: oneOf(r.estimate_source, ESTIMATE_SOURCES, 'estimate_source'),
    realisticMinutes: finiteOrNull(r.realistic_minutes, 'realistic_minutes'),
    multiplier: finiteOrNull(r.multiplier, 'multiplier'),
    why: str(r.why),
    status: oneOf(r.status, TASK_STATUSES, 'status'),
    actualMinutes: finiteOrNull(r.actual_minutes, 'actual_minutes'),
    notes: jsonList(r.notes, 'notes', isNote),
    deadline: finiteOrNull(r.deadline, 'deadline'),
    createdAt: finite(r.created_at, 'created_at'),
    updatedAt: finite(r.updated_at, 'updated_at'),
    startedAt: finiteOrNull(r.started_at, 'started_at'),
    completedAt: finiteOrNull(r.completed_at, 'completed_at'),
  }),
);

const toEnergy = rowMapper(
  'adhd_energy',
  (r: Row): EnergyRow => ({
    id: String(r.id),
    namespace: String(r.namespace),
    at: finite(r.at, 'at'),
    level: finite(r.level, 'level'),
    attention: oneOf(r.attention, ATTENTION_STATES, 'attention'),
    mood: str(r.mood),
    note: str(r.note),
    createdAt: finite(r.created_at, 'created_at'),
  }),
);

const toSession = rowMapper(
  'adhd_focus_sessions',
  (r: Row): FocusSessionRow => ({
    id: String(r.id),
    namespace: String(r.namespace),
    taskId: str(r.task_id),
    topic: str(r.topic),
    startedAt: finite(r.started_at, 'started_at'),
    endedAt: finiteOrNull(r.ended_at, 'ended_at'),
  }),
);

const toLastBreak = rowMapper('adhd_breaks', (r: Row) => [oneOf(r.kind, BREAK_KINDS, 'kind'), finite(r.at, 'at')] as const);

const toCheckIn = rowMapper(
  'adhd_check_ins',
  (r: Row): CheckInRow => ({
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
