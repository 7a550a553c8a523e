import type { Row } from '@libsql/client';
import {
  EPISODE_STATUSES,
  type EpisodeRecord,
  type EpisodeWithSteps,
  OUTCOME_TYPES,
  type Outcome,
  STEP_RESULT_TYPES,
  type StepRecord,
  TASK_COMPLEXITIES,
} from '../episodes/types.js';
import type { PatternPlan, PatternPlanResult } from '../patterns/types.js';
import { finite, finiteOrNull, jsonObject, jsonObjectOrNull, jsonStrings, oneOf, oneOfOrNull, str } from './json.js';
import { persistPatternPlan } from './pattern-writes.js';
import { mapFirst, mapRows, rowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

/** Fields written when an episode completes. */
export interface CompletionFields {
  outcomeType: string;
  outcome: Outcome;
  reward: number;
  rewardParts: Record<string, unknown>;
  reflection: Record<string, unknown>;
  summary: string;
  completedAt: number;
}

/** Filters for episode search and listing. */
export interface EpisodeFilter {
  taskType?: string;
  domain?: string;
  outcomeTypes?: string[];
  status?: 'open' | 'completed';
  tags?: string[];
  since?: number;
  until?: number;
  /** Only episodes after this one in newest-first order (keyset paging). */
  before?: { startedAt: number; id: string };
  /** Only ids starting with this. */
  idPrefix?: string;
}

/** What `EpisodeRepo.complete` did: `ok` with each pattern plan's result, or why nothing was written. */
export type CompletionWrite = { status: 'ok'; patterns: PatternPlanResult[] } | { status: 'unknown' | 'closed' };

/** SQL for episodes and steps. */
export interface EpisodeRepo {
  create(rec: EpisodeRecord): Promise<void>;
  /**
   * Appends a step to an open episode, numbering it atomically. Returns the step number, or why
   * nothing was written.
   */
  appendStep(ns: string, episodeId: string, step: Omit<StepRecord, 'stepNumber'>): Promise<number | 'unknown' | 'closed'>;
  /**
   * Marks an open episode completed and persists `patterns` (the completion hooks' plans) in the
   * same transaction, returning what each plan wrote, in order; or why nothing was written when
   * the episode was not open.
   */
  complete(ns: string, id: string, fields: CompletionFields, patterns?: PatternPlan[]): Promise<CompletionWrite>;
  get(ns: string, id: string): Promise<EpisodeWithSteps | null>;
  search(ns: string, match: string, filter: EpisodeFilter, limit: number): Promise<Array<EpisodeRecord & { bm25: number }>>;
  list(ns: string, filter: EpisodeFilter, limit: number): Promise<EpisodeRecord[]>;
  /** Latest steps of an episode, newest first. */
  lastSteps(ns: string, id: string, n: number): Promise<StepRecord[]>;
  /** When an episode last started or logged a step in the namespace, or null. */
  lastActivityAt(ns: string): Promise<number | null>;
  /** Namespaces with an open episode. */
  namespacesWithOpen(): Promise<string[]>;
  counts(ns: string): Promise<{ open: number; completed: number; successes: number; steps: number }>;
  /** Episodes (without steps) changed after change sequence `afterSeq`, in change order. */
  changedSince(ns: string, afterSeq: number, limit: number): Promise<Array<EpisodeRecord & { changeSeq: number }>>;
  /** Episodes (without steps) by id. */
  getMany(ns: string, ids: string[]): Promise<EpisodeRecord[]>;
}

/** Creates the episode repository over `db`. */
export function createEpisodeRepo(db: Db): EpisodeRepo {
  const stepsOf = async (ns: string, id: string, order: 'ASC' | 'DESC' = 'ASC', limit = -1) =>
    mapRows(
      db,
      (await db.execute(`SELECT * FROM episode_steps WHERE episode_id = ? AND namespace = ? ORDER BY step_number ${order} LIMIT ?`, [id, ns, limit])).rows,
      toStep,
    );

  return {
    async create(r) {
      await db.execute(
        `INSERT INTO episodes (id, namespace, task, task_type, domain, language, framework, tags, complexity, context, status, started_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
        [
          r.id,
          r.namespace,
          r.task,
          r.taskType,
          r.domain,
          r.language,
          r.framework,
          JSON.stringify(r.tags),
          r.complexity,
          JSON.stringify(r.context),
          r.startedAt,
          r.updatedAt,
        ],
      );
    },
    async appendStep(ns, episodeId, s) {
      const rs = await db.execute(
        `INSERT INTO episode_steps (episode_id, step_number, namespace, tool, action, parameters, result_type, result_output, result_message, latency_ms, at)
         SELECT e.id, COALESCE((SELECT MAX(step_number) FROM episode_steps WHERE episode_id = e.id), 0) + 1, e.namespace, ?, ?, ?, ?, ?, ?, ?, ?
         FROM episodes e WHERE e.id = ? AND e.namespace = ? AND e.status = 'open'
         RETURNING step_number`,
        [
          s.tool,
          s.action,
          JSON.stringify(s.parameters),
          s.result?.type ?? null,
          s.result?.output ?? null,
          s.result?.message ?? null,
          s.latencyMs,
          s.at,
          episodeId,
          ns,
        ],
      );
      const n = rs.rows[0]?.step_number;
      if (n !== undefined && n !== null) return Number(n);
      return (await statusOf(db, ns, episodeId)) === null ? 'unknown' : 'closed';
    },
    async complete(ns, id, f, plans = []) {
      const written = await db.transaction(async (tx) => {
        const rs = await tx.execute(
          `UPDATE episodes SET status = 'completed', outcome_type = ?, outcome = ?, reward = ?, reward_parts = ?, reflection = ?, summary = ?, completed_at = ?, updated_at = ?
           WHERE id = ? AND namespace = ? AND status = 'open'`,
          [
            f.outcomeType,
            outcomeDocument(f.outcome),
            f.reward,
            JSON.stringify(f.rewardParts),
            JSON.stringify(f.reflection),
            f.summary,
            f.completedAt,
            f.completedAt,
            id,
            ns,
          ],
        );
        if (rs.rowsAffected !== 1) return null;
        const results: PatternPlanResult[] = [];
        for (const plan of plans) results.push(await persistPatternPlan(tx, plan, db));
        return results;
      });
      if (written) return { status: 'ok', patterns: written };
      return { status: (await statusOf(db, ns, id)) === null ? 'unknown' : 'closed' };
    },
    async get(ns, id) {
      const rs = await db.execute('SELECT * FROM episodes WHERE namespace = ? AND id = ?', [ns, id]);
      const episode = mapFirst(db, rs.rows, toEpisode);
      return episode && { ...episode, steps: await stepsOf(ns, id) };
    },
    async search(ns, match, filter, limit) {
      const { where, args } = episodeFilterSql(filter);
      const rs = await db.execute(
        `SELECT e.*, bm25(episodes_fts, 1.0, 0.7, 0.5) AS bm25 FROM episodes_fts JOIN episodes e ON e.rowid = episodes_fts.rowid
         WHERE episodes_fts MATCH ? AND e.namespace = ? ${where} ORDER BY bm25 LIMIT ?`,
        [match, ns, ...args, limit],
      );
      return mapRows(
        db,
        rs.rows,
        rowMapper('episodes', (row) => ({ ...toEpisode(row), bm25: Number(row.bm25) })),
      );
    },
    async list(ns, filter, limit) {
      const { where, args } = episodeFilterSql(filter);
      const rs = await db.execute(`SELECT e.* FROM episodes e WHERE e.namespace = ? ${where} ORDER BY e.started_at DESC, e.id DESC LIMIT ?`, [
        ns,
        ...args,
        limit,
      ]);
      return mapRows(db, rs.rows, toEpisode);
    },
    lastSteps: (ns, id, n) => stepsOf(ns, id, 'DESC', n),
    async lastActivityAt(ns) {
      const rs = await db.execute(
        `SELECT MAX(COALESCE((SELECT MAX(at) FROM episode_steps WHERE namespace = ?1), 0), COALESCE((SELECT MAX(started_at) FROM episodes WHERE namespace = ?1), 0)) AS t`,
        [ns],
      );
      const t = Number(rs.rows[0]?.t ?? 0);
      return t > 0 ? t : null;
    },
    async namespacesWithOpen() {
      const rs = await db.execute(`SELECT DISTINCT namespace FROM episodes WHERE status = 'open' ORDER BY namespace`);
      return rs.rows.map((r) => String(r.namespace));
    },
    async changedSince(ns, afterSeq, limit) {
      const rs = await db.execute('SELECT * FROM episodes WHERE namespace = ? AND change_seq > ? ORDER BY change_seq LIMIT ?', [ns, afterSeq, limit]);
      return mapRows(
        db,
        rs.rows,
        rowMapper('episodes', (row) => ({ ...toEpisode(row), changeSeq: Number(row.change_seq) })),
      );
    },
    async getMany(ns, ids) {
      if (ids.length === 0) return [];
      const rs = await db.execute(`SELECT * FROM episodes WHERE id IN (${ids.map(() => '?').join(',')}) AND +namespace = ?`, [...ids, ns]);
      return mapRows(db, rs.rows, toEpisode);
    },
    async counts(ns) {
      const rs = await db.execute(
        `SELECT SUM(status = 'open') AS open, SUM(status = 'completed') AS completed, SUM(outcome_type = 'success') AS successes,
                (SELECT COUNT(*) FROM episode_steps WHERE namespace = ?) AS steps
         FROM episodes WHERE namespace = ?`,
        [ns, ns],
      );
      const r = rs.rows[0];
      return { open: Number(r?.open ?? 0), completed: Number(r?.completed ?? 0), successes: Number(r?.successes ?? 0), steps: Number(r?.steps ?? 0) };
    },
  };
}

async function statusOf(db: Db, ns: string, id: string): Promise<string | null> {
  const rs = await db.execute('SELECT status FROM episodes WHERE namespace = ? AND id = ?', [ns, id]);
  return rs.rows[0] ? String(rs.rows[0].status) : null;
}

/** `AND …` conditions on an `episodes` row aliased `e`, with their arguments (shared with the ANN repository). */
export function episodeFilterSql(f: EpisodeFilter): { where: string; args: SqlArgs } {
  const parts: string[] = [];
  const args: SqlArgs = [];
  const eq = (col: string, v: string | undefined) => {
    if (v !== undefined) {
      parts.push(`${col} = ?`);
      args.push(v);
    }
  };
  eq('e.task_type', f.taskType);
  eq('e.domain', f.domain);
  eq('e.status', f.status);
  if (f.outcomeTypes?.length) {
    parts.push(`e.outcome_type IN (${f.outcomeTypes.map(() => '?').join(',')})`);
    args.push(...f.outcomeTypes);
  }
  if (f.tags?.length) {
    const wanted = [...new Set(f.tags)];
    parts.push(
      `(SELECT COUNT(DISTINCT json_each.value) FROM json_each(e.tags) WHERE json_each.value IN (${wanted.map(() => '?').join(',')})) = ${wanted.length}`,
    );
    args.push(...wanted);
  }
  if (f.since !== undefined) {
    parts.push('e.started_at >= ?');
    args.push(f.since);
  }
  if (f.until !== undefined) {
    parts.push('e.started_at <= ?');
    args.push(f.until);
  }
  if (f.before !== undefined) {
    parts.push('(e.started_at < ? OR (e.started_at = ? AND e.id < ?))');
    args.push(f.before.startedAt, f.before.startedAt, f.before.id);
  }
  if (f.idPrefix !== undefined) {
    parts.push('substr(e.id, 1, ?) = ?');
    args.push(f.idPrefix.length, f.idPrefix);
  }
  return { where: parts.map((p) => `AND ${p}`).join(' '), args };
}

/** Maps an `episodes` row to a record; throws on a value it cannot read (callers skip the row with `mapRows`). */
export const toEpisode = rowMapper(
  'episodes',
  (row: Row): EpisodeRecord => ({
    id: String(row.id),
    namespace: String(row.namespace),
    task: String(row.task),
    taskType: String(row.task_type),
    domain: String(row.domain),
    language: str(row.language),
    framework: str(row.framework),
    tags: jsonStrings(row.tags, 'tags'),
    complexity: oneOf(row.complexity, TASK_COMPLEXITIES, 'complexity'),
    context: jsonObject(row.context, 'context'),
    status: oneOf(row.status, EPISODE_STATUSES, 'status'),
    outcomeType: oneOfOrNull(row.outcome_type, OUTCOME_TYPES, 'outcome_type'),
    outcome: jsonObjectOrNull(row.outcome, 'outcome'),
    reward: finiteOrNull(row.reward, 'reward'),
    rewardParts: jsonObjectOrNull(row.reward_parts, 'reward_parts'),
    reflection: jsonObjectOrNull(row.reflection, 'reflection'),
    summary: str(row.summary),
    startedAt: finite(row.started_at, 'started_at'),
    completedAt: finiteOrNull(row.completed_at, 'completed_at'),
    updatedAt: finite(row.updated_at, 'updated_at'),
  }),
);

const toStep = rowMapper('episode_steps', (row: Row): StepRecord => {
  const type = oneOfOrNull(row.result_type, STEP_RESULT_TYPES, 'result_type');
  return {
    stepNumber: finite(row.step_number, 'step_number'),
    tool: String(row.tool),
    action: String(row.action),
    parameters: jsonObject(row.parameters, 'parameters'),
    result:
      type === null
        ? null
        : {
            type,
            ...(row.result_output !== null ? { output: String(row.result_output) } : {}),
            ...(row.result_message !== null ? { message: String(row.result_message) } : {}),
          },
    latencyMs: finiteOrNull(row.latency_ms, 'latency_ms'),
    at: finite(row.at, 'at'),
  };
});

/** The stored outcome document: the keys `complete_episode` takes and `get_episode` shows (`error_details`). */
function outcomeDocument(o: Outcome): string {
  const { errorDetails, ...rest } = o;
  return JSON.stringify({ ...rest, ...(errorDetails !== undefined ? { error_details: errorDetails } : {}) });
}
