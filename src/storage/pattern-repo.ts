import type { ResultSet, Row, Transaction } from '@libsql/client';
import { parseJson, str } from './json.js';
import type { Db, SqlArgs } from './types.js';

/** Most supporting episode ids kept per pattern (the most recent). */
export const MAX_EPISODE_IDS = 20;
/** z of the Wilson bound maintained in the `wilson` column (95%). */
const Z = 1.959963984540054;

/** A stored pattern, as the table holds it. */
export interface PatternRecord {
  id: string;
  namespace: string;
  kind: string;
  key: string;
  matchKey: string;
  description: string;
  tokens: string[];
  data: Record<string, unknown>;
  taskType: string;
  domain: string;
  language: string | null;
  tags: string[];
  occurrences: number;
  successes: number;
  latencyTotal: number;
  latencyCount: number;
  wilson: number;
  episodeIds: string[];
  firstSeen: number;
  lastSeen: number;
  mergedInto: string | null;
}

/** One episode's evidence for one pattern: inserted as a new row or added to the existing one. */
export interface PatternWrite {
  /** Id used when the row is new. */
  id: string;
  kind: string;
  key: string;
  matchKey: string;
  description: string;
  tokens: string[];
  data: Record<string, unknown>;
  taskType: string;
  domain: string;
  language: string | null;
  tags: string[];
  success: boolean;
  latencyMs: number | null;
  episodeId: string;
  at: number;
}

/** A row after an upsert. `inserted` is true when the write created it (its one occurrence is this write). */
export interface UpsertedRow {
  key: string;
  id: string;
  occurrences: number;
  successes: number;
  inserted: boolean;
}

/** A durable unit of pattern work. */
export interface PatternJob {
  id: string;
  namespace: string;
  episodeId: string;
  kind: 'extract' | 'merge';
  payload: Record<string, unknown>;
  createdAt: number;
  attempts: number;
}

/** One near-duplicate merge: `sourceId`'s statistics move into `targetId`, and its key then redirects there. */
export interface MergeOp {
  sourceId: string;
  targetId: string;
}

/** Filters for ranked listing (`analyze_patterns`). */
export interface PatternListFilter {
  kind?: string;
  taskType?: string;
  domain?: string;
  minSuccessRate: number;
  minSupport: number;
}

/** Filters for full-text search. */
export interface PatternSearchFilter {
  taskType?: string;
  domain?: string;
  tags?: string[];
  since?: number;
  until?: number;
}

/**
 * Where near-duplicates of a pattern can be: same kind and task type, and either equal content
 * (`matchKey`, any context) or, when `nearSizes` is given, the same domain, a size in that range
 * and the same first two or last two tokens.
 */
export interface CandidateBlock {
  kind: string;
  taskType: string;
  matchKey: string;
  domain: string;
  tokens: string[];
  nearSizes: { min: number; max: number } | null;
  excludeId: string;
}

/** The columns key resolution reads. */
export type PatternHead = Pick<PatternRecord, 'id' | 'key' | 'kind' | 'description' | 'occurrences' | 'successes' | 'mergedInto'>;

/** The columns near-duplicate comparison reads. */
export type MergeCandidate = Pick<
  PatternRecord,
  'id' | 'kind' | 'taskType' | 'domain' | 'language' | 'tags' | 'tokens' | 'episodeIds' | 'occurrences' | 'firstSeen' | 'mergedInto'
>;

/** SQL for patterns and pattern jobs. Methods taking `tx` run inside the caller's transaction. */
export interface PatternRepo {
  /** Live rows for `keys`, following merge redirects; the map is keyed by the asked key. */
  resolve(ns: string, keys: string[], tx?: Transaction): Promise<Map<string, PatternHead>>;
  /** Inserts or reinforces patterns in one statement; rows redirected by a merge are skipped (absent from the result). */
  upsert(ns: string, writes: PatternWrite[], tx?: Transaction): Promise<UpsertedRow[]>;
  insertJob(job: PatternJob, tx?: Transaction): Promise<void>;
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
  byIds(ns: string, ids: string[]): Promise<PatternRecord[]>;
  byKeys(ns: string, keys: string[]): Promise<PatternRecord[]>;
  /** Live near-duplicate candidates (at most `limit` per part of the block). */
  candidates(ns: string, block: CandidateBlock, limit: number): Promise<MergeCandidate[]>;
  /** Live patterns passing the filters, ranked by Wilson bound, with the count before `limit`. */
  list(ns: string, f: PatternListFilter, limit: number): Promise<{ rows: PatternRecord[]; matched: number }>;
  search(ns: string, match: string, f: PatternSearchFilter, limit: number): Promise<Array<PatternRecord & { bm25: number }>>;
}

const COLS = [
  'id', 'namespace', 'kind', 'key', 'match_key', 'description', 'tokens', 'size', 'head', 'tail', 'data', 'task_type', 'domain', 'language', 'tags',
  'occurrences', 'successes', 'latency_total', 'latency_count', 'wilson', 'episode_ids', 'first_seen', 'last_seen', 'created_at', 'updated_at',
] as const;

/** SQL for the Wilson lower bound of `s` successes in `n` trials. */
function wilsonSql(n: string, s: string): string {
  const p = `((${s}) * 1.0 / (${n}))`;
  const z2 = Z * Z;
  return `(CASE WHEN (${n}) <= 0 THEN 0.0 ELSE max(0.0, (${p} + ${z2} / (2.0 * (${n})) - ${Z} * sqrt(${p} * (1 - ${p}) / (${n}) + ${z2} / (4.0 * (${n}) * (${n})))) / (1 + ${z2} / (${n}))) END)`;
}

/**
 * The incremental update of an existing pattern. `skipSameEpisode` leaves a pattern alone when
 * the episode already counts for it (a background job finishing an episode's extraction).
 */
const onConflict = (skipSameEpisode: boolean) => `ON CONFLICT(namespace, key) DO UPDATE SET
  occurrences = patterns.occurrences + excluded.occurrences,
  successes = patterns.successes + excluded.successes,
  latency_total = patterns.latency_total + excluded.latency_total,
  latency_count = patterns.latency_count + excluded.latency_count,
  wilson = ${wilsonSql('patterns.occurrences + excluded.occurrences', 'patterns.successes + excluded.successes')},
  episode_ids = CASE WHEN json_array_length(patterns.episode_ids) >= ${MAX_EPISODE_IDS}
    THEN json_insert(json_remove(patterns.episode_ids, '$[0]'), '$[#]', excluded.episode_ids ->> '$[0]')
    ELSE json_insert(patterns.episode_ids, '$[#]', excluded.episode_ids ->> '$[0]') END,
  first_seen = min(patterns.first_seen, excluded.first_seen),
  last_seen = max(patterns.last_seen, excluded.last_seen),
  updated_at = excluded.updated_at
WHERE patterns.merged_into IS NULL${
  skipSameEpisode ? ` AND NOT EXISTS (SELECT 1 FROM json_each(patterns.episode_ids) WHERE json_each.value = excluded.episode_ids ->> '$[0]')` : ''
}
RETURNING key, id, occurrences, successes`;

const SEP = '\u001e';
/** First two tokens: the blocking key for near-duplicates that differ late. */
const headOf = (tokens: readonly string[]) => tokens.slice(0, 2).join(SEP);
/** Last two tokens: the blocking key for near-duplicates that differ early. */
const tailOf = (tokens: readonly string[]) => tokens.slice(-2).join(SEP);

/** Wilson bound of one success in one trial. */
const wilson1 = (1 + (Z * Z) / 2 - Z * Math.sqrt((Z * Z) / 4)) / (1 + Z * Z);

function writeArgs(ns: string, w: PatternWrite): SqlArgs {
  const s = w.success ? 1 : 0;
  return [
    w.id, ns, w.kind, w.key, w.matchKey, w.description, JSON.stringify(w.tokens), w.tokens.length, headOf(w.tokens), tailOf(w.tokens), JSON.stringify(w.data), w.taskType, w.domain, w.language,
    JSON.stringify(w.tags), 1, s, w.latencyMs ?? 0, w.latencyMs === null ? 0 : 1, s === 1 ? wilson1 : 0, JSON.stringify([w.episodeId]), w.at, w.at, w.at, w.at,
  ];
}

const ROW_PARAMS = `(${COLS.map(() => '?').join(', ')})`;
/** Rows per upsert statement (SQLite allows 32 766 parameters). */
const CHUNK = 400;

function upsertStatement(ns: string, writes: PatternWrite[], guardJobId?: string): { sql: string; args: SqlArgs } {
  const args: SqlArgs = writes.flatMap((w) => writeArgs(ns, w));
  const values = writes.map(() => ROW_PARAMS).join(', ');
  if (guardJobId === undefined) return { sql: `INSERT INTO patterns (${COLS.join(', ')}) VALUES ${values} ${onConflict(false)}`, args };
  const columns = COLS.map((_, i) => `column${i + 1}`).join(', ');
  return {
    sql: `INSERT INTO patterns (${COLS.join(', ')}) SELECT ${columns} FROM (VALUES ${values}) WHERE EXISTS (SELECT 1 FROM pattern_jobs WHERE id = ?) ${onConflict(true)}`,
    args: [...args, guardJobId],
  };
}

/** Creates the pattern repository over `db`. */
export function createPatternRepo(db: Db): PatternRepo {
  const run = (tx: Transaction | undefined) => (sql: string, args: SqlArgs): Promise<ResultSet> =>
    tx ? tx.execute({ sql, args: args as never }) : db.execute(sql, args);
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

  async function fetchBy<T>(exec: ReturnType<typeof run>, ns: string, col: 'key' | 'id', values: string[], columns: string, map: (r: Row) => T): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500);
      const rs = await exec(`SELECT ${columns} FROM patterns WHERE namespace = ? AND ${col} IN (${marks(part.length)})`, [ns, ...part]);
      out.push(...rs.rows.map(map));
    }
    return out;
  }
  const HEAD_COLS = 'id, key, kind, description, occurrences, successes, merged_into';

  return {
    async resolve(ns, keys, tx) {
      const exec = run(tx);
      const found = new Map<string, PatternHead>();
      const rows = await fetchBy(exec, ns, 'key', [...new Set(keys)], HEAD_COLS, toHead);
      let pending = new Map<string, string[]>();
      for (const r of rows) {
        if (r.mergedInto === null) found.set(r.key, r);
        else pending.set(r.mergedInto, [...(pending.get(r.mergedInto) ?? []), r.key]);
      }
      // Merges flatten alias chains, so one hop is usual; a few allow for a merge racing this read.
      for (let hop = 0; hop < 5 && pending.size > 0; hop++) {
        const next = new Map<string, string[]>();
        for (const t of await fetchBy(exec, ns, 'id', [...pending.keys()], HEAD_COLS, toHead)) {
          const asked = pending.get(t.id) ?? [];
          if (t.mergedInto === null) for (const k of asked) found.set(k, t);
          else next.set(t.mergedInto, [...(next.get(t.mergedInto) ?? []), ...asked]);
        }
        pending = next;
      }
      return found;
    },

    async upsert(ns, writes, tx) {
      if (writes.length === 0) return [];
      const exec = run(tx);
      const out: UpsertedRow[] = [];
      for (let i = 0; i < writes.length; i += CHUNK) {
        const { sql, args } = upsertStatement(ns, writes.slice(i, i + CHUNK));
        const rs = await exec(sql, args);
        for (const r of rs.rows) {
          const key = String(r.key);
          const occurrences = Number(r.occurrences);
          // Every write adds exactly one occurrence, so a row holding one was created by this write.
          out.push({ key, id: String(r.id), occurrences, successes: Number(r.successes), inserted: occurrences === 1 });
        }
      }
      return out;
    },

    async insertJob(job, tx) {
      await run(tx)(
        'INSERT INTO pattern_jobs (id, namespace, episode_id, kind, payload, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)',
        [job.id, job.namespace, job.episodeId, job.kind, JSON.stringify(job.payload), job.createdAt],
      );
    },

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
      return rs.rows.map((r) => ({
        id: String(r.id),
        namespace: String(r.namespace),
        episodeId: String(r.episode_id),
        kind: String(r.kind) as PatternJob['kind'],
        payload: parseJson<Record<string, unknown>>(r.payload, {}),
        createdAt: Number(r.created_at),
        attempts: Number(r.attempts),
      }));
    },

    async failJob(id, error) {
      await db.execute('UPDATE pattern_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?', [error.slice(0, 2000), id]);
    },

    async countJobs(ns) {
      const rs = ns === undefined ? await db.execute('SELECT COUNT(*) AS n FROM pattern_jobs') : await db.execute('SELECT COUNT(*) AS n FROM pattern_jobs WHERE namespace = ?', [ns]);
      return Number(rs.rows[0]?.n ?? 0);
    },

    byIds: (ns, ids) => fetchBy(run(undefined), ns, 'id', ids, '*', toPattern),
    byKeys: (ns, keys) => fetchBy(run(undefined), ns, 'key', keys, '*', toPattern),

    async candidates(ns, b, limit) {
      const cols = 'id, kind, task_type, domain, language, tags, tokens, episode_ids, occurrences, first_seen, merged_into';
      const base = 'namespace = ? AND kind = ? AND task_type = ? AND merged_into IS NULL AND id != ?';
      const baseArgs: SqlArgs = [ns, b.kind, b.taskType, b.excludeId];
      // Each part of the union is answered by its own index.
      const parts = [`SELECT * FROM (SELECT ${cols} FROM patterns WHERE ${base} AND match_key = ? LIMIT ?)`];
      const args: SqlArgs = [...baseArgs, b.matchKey, limit];
      if (b.nearSizes) {
        for (const [col, value] of [['head', headOf(b.tokens)], ['tail', tailOf(b.tokens)]] as const) {
          parts.push(`SELECT * FROM (SELECT ${cols} FROM patterns WHERE ${base} AND ${col} = ? AND domain = ? AND size BETWEEN ? AND ? LIMIT ?)`);
          args.push(...baseArgs, value, b.domain, b.nearSizes.min, b.nearSizes.max, limit);
        }
      }
      const rs = await db.execute(parts.join(' UNION '), args);
      return rs.rows.map(toCandidate);
    },

    async list(ns, f, limit) {
      const parts = ['namespace = ?', 'merged_into IS NULL', 'occurrences >= ?', 'successes * 1.0 / occurrences >= ? - 1e-9'];
      const args: SqlArgs = [ns, f.minSupport, f.minSuccessRate];
      for (const [col, v] of [['kind', f.kind], ['task_type', f.taskType], ['domain', f.domain]] as const) {
        if (v !== undefined) {
          parts.push(`${col} = ?`);
          args.push(v);
        }
      }
      const where = parts.join(' AND ');
      const rs = await db.execute(`SELECT * FROM patterns WHERE ${where} ORDER BY wilson DESC, occurrences DESC, last_seen DESC, id LIMIT ?`, [...args, limit]);
      const count = await db.execute(`SELECT COUNT(*) AS n FROM patterns WHERE ${where}`, args);
      return { rows: rs.rows.map(toPattern), matched: Number(count.rows[0]?.n ?? 0) };
    },

    async search(ns, match, f, limit) {
      const parts: string[] = [];
      const args: SqlArgs = [match, ns];
      if (f.taskType !== undefined) {
        parts.push('p.task_type = ?');
        args.push(f.taskType);
      }
      if (f.domain !== undefined) {
        parts.push('p.domain = ?');
        args.push(f.domain);
      }
      if (f.tags?.length) {
        parts.push(`EXISTS (SELECT 1 FROM json_each(p.tags) WHERE json_each.value IN (${marks(f.tags.length)}))`);
        args.push(...f.tags);
      }
      if (f.since !== undefined) {
        parts.push('p.last_seen >= ?');
        args.push(f.since);
      }
      if (f.until !== undefined) {
        parts.push('p.first_seen <= ?');
        args.push(f.until);
      }
      const rs = await db.execute(
        `SELECT p.*, bm25(patterns_fts, 1.0, 0.6, 0.4, 0.3, 0.3) AS bm25 FROM patterns_fts JOIN patterns p ON p.rowid = patterns_fts.rowid
         WHERE patterns_fts MATCH ? AND p.namespace = ? AND p.merged_into IS NULL ${parts.map((p) => `AND ${p}`).join(' ')}
         ORDER BY bm25 LIMIT ?`,
        [...args, limit],
      );
      return rs.rows.map((r) => ({ ...toPattern(r), bm25: Number(r.bm25) }));
    },
  };
}

function toHead(row: Row): PatternHead {
  return {
    id: String(row.id),
    key: String(row.key),
    kind: String(row.kind),
    description: String(row.description),
    occurrences: Number(row.occurrences),
    successes: Number(row.successes),
    mergedInto: str(row.merged_into),
  };
}

function toCandidate(row: Row): MergeCandidate {
  return {
    id: String(row.id),
    kind: String(row.kind),
    taskType: String(row.task_type),
    domain: String(row.domain),
    language: str(row.language),
    tags: parseJson<string[]>(row.tags, []),
    tokens: parseJson<string[]>(row.tokens, []),
    episodeIds: parseJson<string[]>(row.episode_ids, []),
    occurrences: Number(row.occurrences),
    firstSeen: Number(row.first_seen),
    mergedInto: str(row.merged_into),
  };
}

/** Maps a `patterns` row to a record. */
function toPattern(row: Row): PatternRecord {
  return {
    id: String(row.id),
    namespace: String(row.namespace),
    kind: String(row.kind),
    key: String(row.key),
    matchKey: String(row.match_key),
    description: String(row.description),
    tokens: parseJson<string[]>(row.tokens, []),
    data: parseJson<Record<string, unknown>>(row.data, {}),
    taskType: String(row.task_type),
    domain: String(row.domain),
    language: row.language === null ? null : String(row.language),
    tags: parseJson<string[]>(row.tags, []),
    occurrences: Number(row.occurrences),
    successes: Number(row.successes),
    latencyTotal: Number(row.latency_total),
    latencyCount: Number(row.latency_count),
    wilson: Number(row.wilson),
    episodeIds: parseJson<string[]>(row.episode_ids, []),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    mergedInto: str(row.merged_into),
  };
}
