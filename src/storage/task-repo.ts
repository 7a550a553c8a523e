import type { InStatement, Row } from '@libsql/client';
import { type DoingTask, ENERGY_DEMANDS, ESTIMATE_SOURCES, type EstimateSource, TASK_STATUSES, type Task, type TaskPatch } from '../adhd/types.js';
import { finite, finiteOrNull, jsonList, num, oneOf, oneOfOrNull, str } from './json.js';
import { mapRows, type RowMapper, rowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

/** SQL for ADHD task trees. Every statement is scoped by namespace; no rules here. */
export interface TaskRepo {
  /** Inserts task nodes atomically (parents before children). */
  insertTasks(rows: Task[]): Promise<void>;
  getTask(ns: string, id: string): Promise<Task | null>;
  /** Every node of one tree, parents before children, siblings by position. */
  tree(ns: string, rootId: string): Promise<Task[]>;
  children(ns: string, parentId: string): Promise<Task[]>;
  /** Applies patches atomically; returns the updated rows (missing ids are skipped). */
  updateTasks(ns: string, patches: Array<{ id: string; patch: TaskPatch }>): Promise<Task[]>;
  /** Roots in todo/doing, doing first, most recently touched first. */
  openRoots(ns: string, limit: number): Promise<Task[]>;
  /** Open nodes without open children: the steps someone could do next. */
  openLeaves(ns: string, limit: number): Promise<Task[]>;
  /** Nodes in `doing` without open children (a parent is represented by its open steps), with their last focus activity. */
  doingTasks(ns: string, limit: number): Promise<DoingTask[]>;
  /** Root tasks of any status, most recently changed first. */
  recentRoots(ns: string, limit: number): Promise<Task[]>;
  /** Done nodes with an actual and a raw estimate from one of `sources`, newest first. */
  completedEstimates(ns: string, sources: readonly EstimateSource[], limit: number): Promise<Task[]>;
  /** When a task in the namespace last changed, or null. */
  lastActivityAt(ns: string): Promise<number | null>;
  /** Namespaces holding any task. */
  namespaces(): Promise<string[]>;
}

const OPEN = `status IN ('todo', 'doing')`;

/** Creates the task repository over `db`. */
export function createTaskRepo(db: Db): TaskRepo {
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
      const results = await db.batch(
        patches.map(({ id, patch }) => taskPatchStatement(ns, id, patch)),
        'write',
      );
      return results.flatMap((rs) => mapRows(db, rs.rows, toTask));
    },
    openRoots: (ns, limit) =>
      rows(
        `SELECT * FROM adhd_tasks WHERE namespace = ? AND parent_id IS NULL AND ${OPEN} ORDER BY (status = 'doing') DESC, updated_at DESC LIMIT ?`,
        [ns, limit],
        toTask,
      ),
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
    recentRoots: (ns, limit) =>
      rows('SELECT * FROM adhd_tasks WHERE namespace = ? AND parent_id IS NULL ORDER BY updated_at DESC LIMIT ?', [ns, limit], toTask),
    completedEstimates: (ns, sources, limit) =>
      rows(
        `SELECT * FROM adhd_tasks WHERE namespace = ? AND status = 'done' AND actual_minutes > 0 AND raw_minutes > 0
           AND estimate_source IN (${sources.map(() => '?').join(',')})
         ORDER BY completed_at DESC LIMIT ?`,
        [ns, ...sources, limit],
        toTask,
      ),
    lastActivityAt: async (ns) => num((await db.execute('SELECT MAX(updated_at) AS t FROM adhd_tasks WHERE namespace = ?', [ns])).rows[0]?.t),
    namespaces: () =>
      rows(
        'SELECT DISTINCT namespace FROM adhd_tasks',
        [],
        rowMapper('adhd_tasks', (r) => String(r.namespace)),
      ),
  };
}

/** The statement that applies one patch to a task (also run by `FocusRepo.startSession` in its batch). */
export function taskPatchStatement(ns: string, id: string, p: TaskPatch): InStatement {
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

function insertTaskStmt(t: Task): InStatement {
  return {
    sql: `INSERT INTO adhd_tasks (id, namespace, root_id, parent_id, position, title, category, energy, needs_focus, is_starter, raw_minutes,
            estimate_source, realistic_minutes, multiplier, why, status, actual_minutes, notes, deadline, created_at, updated_at, started_at, completed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      t.id,
      t.namespace,
      t.rootId,
      t.parentId,
      t.position,
      t.title,
      t.category,
      t.energy,
      t.needsFocus ? 1 : 0,
      t.isStarter ? 1 : 0,
      t.rawMinutes,
      t.estimateSource,
      t.realisticMinutes,
      t.multiplier,
      t.why,
      t.status,
      t.actualMinutes,
      JSON.stringify(t.notes),
      t.deadline,
      t.createdAt,
      t.updatedAt,
      t.startedAt,
      t.completedAt,
    ],
  };
}

const isNote = (n: unknown): n is { at: number; text: string } =>
  typeof n === 'object' && n !== null && typeof (n as { at?: unknown }).at === 'number' && typeof (n as { text?: unknown }).text === 'string';

const toTask = rowMapper(
  'adhd_tasks',
  (r: Row): Task => ({
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
