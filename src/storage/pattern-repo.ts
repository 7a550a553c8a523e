import type { ResultSet, Row, Transaction } from '@libsql/client';
import { createPatternJobRepo, type PatternJobRepo } from './pattern-job-repo.js';
import type {
  CandidateBlock,
  MergeCandidate,
  PatternHead,
  PatternListFilter,
  PatternRecord,
  PatternSearchFilter,
  PatternWrite,
  UpsertedRow,
} from './pattern-records.js';
import { mapRows, rowMapper, type RowMapper } from './rows.js';
import { CHUNK, headOf, tailOf, toCandidate, toHead, toPattern, upsertStatement } from './pattern-sql.js';
import type { Db, SqlArgs } from './types.js';

export type * from './pattern-records.js';
export { MAX_EPISODE_IDS } from './pattern-sql.js';
export type { PatternJobRepo } from './pattern-job-repo.js';

/** SQL for patterns (and, through `PatternJobRepo`, their jobs). Methods taking `tx` run inside the caller's transaction. */
export interface PatternRepo extends PatternJobRepo {
  /** Live rows for `keys`, following merge redirects; the map is keyed by the asked key. */
  resolve(ns: string, keys: string[], tx?: Transaction): Promise<Map<string, PatternHead>>;
  /** Inserts or reinforces patterns in one statement; rows redirected by a merge are skipped (absent from the result). */
  upsert(ns: string, writes: PatternWrite[], tx?: Transaction): Promise<UpsertedRow[]>;
  byIds(ns: string, ids: string[]): Promise<PatternRecord[]>;
  byKeys(ns: string, keys: string[]): Promise<PatternRecord[]>;
  /** Live near-duplicate candidates (at most `limit` per part of the block). */
  candidates(ns: string, block: CandidateBlock, limit: number): Promise<MergeCandidate[]>;
  /** Live patterns passing the filters, ranked by Wilson bound, with the count before `limit`. */
  list(ns: string, f: PatternListFilter, limit: number): Promise<{ rows: PatternRecord[]; matched: number }>;
  search(ns: string, match: string, f: PatternSearchFilter, limit: number): Promise<Array<PatternRecord & { bm25: number }>>;
}

/** Creates the pattern repository over `db`. */
export function createPatternRepo(db: Db): PatternRepo {
  const run = (tx: Transaction | undefined) => (sql: string, args: SqlArgs): Promise<ResultSet> =>
    tx ? tx.execute({ sql, args: args as never }) : db.execute(sql, args);
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

  async function fetchBy<T>(exec: ReturnType<typeof run>, ns: string, col: 'key' | 'id', values: string[], columns: string, map: RowMapper<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const part = values.slice(i, i + 500);
      const rs = await exec(`SELECT ${columns} FROM patterns WHERE namespace = ? AND ${col} IN (${marks(part.length)})`, [ns, ...part]);
      out.push(...mapRows(db, rs.rows, map));
    }
    return out;
  }
  const HEAD_COLS = 'id, key, kind, description, occurrences, successes, merged_into';

  return {
    ...createPatternJobRepo(db),

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
      return mapRows(db, rs.rows, toCandidate);
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
      return { rows: mapRows(db, rs.rows, toPattern), matched: Number(count.rows[0]?.n ?? 0) };
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
      return mapRows(db, rs.rows, rowMapper('patterns', (r) => ({ ...toPattern(r), bm25: Number(r.bm25) })));
    },
  };
}
