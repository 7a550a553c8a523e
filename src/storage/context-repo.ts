import type { MemoryRecord } from '../memory/types.js';
import { type MemoryFilter, memoryFilterSql, toMemory } from './memory-repo.js';
import { mapRows } from './rows.js';
import type { Db } from './types.js';

/** What a context pack lists of memories, beyond the filters full-text search shares. */
export interface LatestFilter extends MemoryFilter {
  /** Leaves out memories carrying this tag. */
  withoutTag?: string;
  /** `newest` first (default), or most `important` first, newest among equals. */
  order?: 'newest' | 'important';
}

/** Reads for context packs: the latest memories of several namespaces at once. */
export interface ContextRepo {
  /** Live memories of any of `namespaces` matching `filter`, in its order, at most `limit`. */
  latest(namespaces: readonly string[], filter: LatestFilter, limit: number): Promise<MemoryRecord[]>;
  /** Live memories of `namespaces`. */
  count(namespaces: readonly string[]): Promise<number>;
}

/** Creates the context repository over `db`. */
export function createContextRepo(db: Db): ContextRepo {
  return {
    async latest(namespaces, filter, limit) {
      if (namespaces.length === 0 || limit <= 0) return [];
      const { where, args } = memoryFilterSql(filter);
      const without = filter.withoutTag === undefined ? '' : 'AND NOT EXISTS (SELECT 1 FROM json_each(m.tags) WHERE json_each.value = ?)';
      const order = filter.order === 'important' ? 'm.importance DESC, m.created_at DESC' : 'm.created_at DESC';
      // One query per namespace: `namespace = ?` lets the newest-first scan walk (namespace, created_at) and stop at the limit; an IN list sorted every row.
      const lists = await Promise.all(
        namespaces.map(async (ns) => {
          const rs = await db.execute(
            `SELECT m.* FROM memories m WHERE m.namespace = ? AND m.deleted_at IS NULL ${where} ${without} ORDER BY ${order}, m.id DESC LIMIT ?`,
            [ns, ...args, ...(filter.withoutTag === undefined ? [] : [filter.withoutTag]), limit],
          );
          return mapRows(db, rs.rows, toMemory);
        }),
      );
      const rank =
        filter.order === 'important'
          ? (a: MemoryRecord, b: MemoryRecord) => b.importance - a.importance || b.createdAt - a.createdAt
          : (a: MemoryRecord, b: MemoryRecord) => b.createdAt - a.createdAt;
      return lists
        .flat()
        .sort((a, b) => rank(a, b) || (a.id < b.id ? 1 : -1))
        .slice(0, limit);
    },
    async count(namespaces) {
      if (namespaces.length === 0) return 0;
      const rs = await db.execute(`SELECT COUNT(*) AS n FROM memories WHERE namespace IN (${namespaces.map(() => '?').join(',')}) AND deleted_at IS NULL`, [
        ...namespaces,
      ]);
      return Number(rs.rows[0]?.n ?? 0);
    },
  };
}
