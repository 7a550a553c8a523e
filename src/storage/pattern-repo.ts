import type { MergeCandidate, PatternHead, PatternRecord, PatternSearchFilters } from '../patterns/types.js';
import { createPatternJobRepo, type PatternJobRepo } from './pattern-job-repo.js';
import { headOf, tailOf, toCandidate, toPattern } from './pattern-sql.js';
import { type Exec, fetchBy, resolveKeys } from './pattern-writes.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

export type { PatternJobRepo } from './pattern-job-repo.js';

/** Filters for ranked listing (`analyze_patterns`). */
export interface PatternListFilter {
  kind?: string;
  taskType?: string;
  domain?: string;
  minSuccessRate: number;
  minSupport: number;
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

/**
 * SQL for patterns (and, through `PatternJobRepo`, their jobs). The writes of a completion go
 * through `EpisodeRepo.complete` with a `PatternPlan`, inside the completion's transaction.
 */
export interface PatternRepo extends PatternJobRepo {
  /** Live rows for `keys`, following merge redirects; the map is keyed by the asked key. */
  resolve(ns: string, keys: string[]): Promise<Map<string, PatternHead>>;
  byIds(ns: string, ids: string[]): Promise<PatternRecord[]>;
  byKeys(ns: string, keys: string[]): Promise<PatternRecord[]>;
  /** Live near-duplicate candidates (at most `limit` per part of the block). */
  candidates(ns: string, block: CandidateBlock, limit: number): Promise<MergeCandidate[]>;
  /** Live patterns passing the filters, ranked by Wilson bound, with the count before `limit`. */
  /** Patterns passing the filter, best first; `matched` counts them all, `belowSupport` those only `minSupport` kept out. */
  list(ns: string, f: PatternListFilter, limit: number): Promise<{ rows: PatternRecord[]; matched: number; belowSupport: number }>;
  search(ns: string, match: string, f: PatternSearchFilters, limit: number): Promise<Array<PatternRecord & { bm25: number }>>;
}

/** Creates the pattern repository over `db`. */
export function createPatternRepo(db: Db): PatternRepo {
  const exec: Exec = (sql, args) => db.execute(sql, args);
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

  return {
    ...createPatternJobRepo(db),

    resolve: (ns, keys) => resolveKeys(exec, db, ns, keys),
    byIds: (ns, ids) => fetchBy(exec, db, ns, 'id', ids, '*', toPattern),
    byKeys: (ns, keys) => fetchBy(exec, db, ns, 'key', keys, '*', toPattern),

    async candidates(ns, b, limit) {
      const cols = 'id, kind, task_type, domain, language, tags, tokens, episode_ids, occurrences, first_seen, merged_into';
      const base = 'namespace = ? AND kind = ? AND task_type = ? AND merged_into IS NULL AND id != ?';
      const baseArgs: SqlArgs = [ns, b.kind, b.taskType, b.excludeId];
      // Each part of the union is answered by its own index.
      const parts = [`SELECT * FROM (SELECT ${cols} FROM patterns WHERE ${base} AND match_key = ? LIMIT ?)`];
      const args: SqlArgs = [...baseArgs, b.matchKey, limit];
      if (b.nearSizes) {
        for (const [col, value] of [
          ['head', headOf(b.tokens)],
          ['tail', tailOf(b.tokens)],
        ] as const) {
          parts.push(`SELECT * FROM (SELECT ${cols} FROM patterns WHERE ${base} AND ${col} = ? AND domain = ? AND size BETWEEN ? AND ? LIMIT ?)`);
          args.push(...baseArgs, value, b.domain, b.nearSizes.min, b.nearSizes.max, limit);
        }
      }
      const rs = await db.execute(parts.join(' UNION '), args);
      return mapRows(db, rs.rows, toCandidate);
    },

    async list(ns, f, limit) {
      const parts = ['namespace = ?', 'merged_into IS NULL', 'successes * 1.0 / occurrences >= ? - 1e-9'];
      const args: SqlArgs = [ns, f.minSuccessRate];
      for (const [col, v] of [
        ['kind', f.kind],
        ['task_type', f.taskType],
        ['domain', f.domain],
      ] as const) {
        if (v !== undefined) {
          parts.push(`${col} = ?`);
          args.push(v);
        }
      }
      const where = parts.join(' AND ');
      const rs = await db.execute(
        `SELECT * FROM patterns WHERE ${where} AND occurrences >= ? ORDER BY wilson DESC, occurrences DESC, last_seen DESC, id LIMIT ?`,
        [...args, f.minSupport, limit],
      );
      const count = await db.execute(
        `SELECT COALESCE(SUM(occurrences >= ?), 0) AS matched, COALESCE(SUM(occurrences < ?), 0) AS below FROM patterns WHERE ${where}`,
        [f.minSupport, f.minSupport, ...args],
      );
      return { rows: mapRows(db, rs.rows, toPattern), matched: Number(count.rows[0]?.matched ?? 0), belowSupport: Number(count.rows[0]?.below ?? 0) };
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
      return mapRows(
        db,
        rs.rows,
        rowMapper('patterns', (r) => ({ ...toPattern(r), bm25: Number(r.bm25) })),
      );
    },
  };
}
