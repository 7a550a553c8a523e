import type { MemoryEvent, MemoryRecord } from '../memory/types.js';
import { appendEvent, toEvent } from './memory-events.js';
import { toMemory, VISIBLE_SQL } from './memory-repo.js';
import { mapFirst, mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

/** What `restore` found. */
export type RestoreOutcome =
  | { status: 'restored'; was: 'forgotten' | 'superseded' | 'merged'; relatedId: string | null }
  | { status: 'missing' | 'visible' | 'conflict' };

/** A memory and the rows linked to it. */
export interface MemoryLinks {
  memory: MemoryRecord;
  supersedes: MemoryRecord[];
  supersededBy: MemoryRecord | null;
  mergedInto: MemoryRecord | null;
  merged: MemoryRecord[];
  events: MemoryEvent[];
}

/** SQL of the lifecycle of single memories: forget, restore, history, access counts. */
export interface MemoryLifecycleRepo {
  /** Marks a memory forgotten and records why; false when it was already forgotten or is unknown. */
  forget(ns: string, id: string, at: number, reason: string | null, actor: string): Promise<boolean>;
  /**
   * Makes a hidden memory visible again: un-forgets, un-supersedes and un-merges it (a pair
   * pulled apart is never merged again by the curator), recording the event.
   */
  restore(ns: string, id: string, at: number, actor: string): Promise<RestoreOutcome>;
  /** The memory (any state), the memories linked to it and the events about it; null when unknown. */
  links(ns: string, id: string): Promise<MemoryLinks | null>;
  /** Adds uses to access counts in one batch (never called per query). */
  recordAccess(ns: string, uses: ReadonlyArray<{ id: string; count: number; at: number }>): Promise<void>;
}

/** Creates the lifecycle repository over `db`. */
export function createMemoryLifecycleRepo(db: Db): MemoryLifecycleRepo {
  return {
    forget: (ns, id, at, reason, actor) =>
      db.transaction(async (tx) => {
        const rs = await tx.execute(
          'UPDATE memories SET deleted_at = ?, deleted_reason = ?, updated_at = ? WHERE namespace = ? AND id = ? AND deleted_at IS NULL',
          [at, reason, at, ns, id],
        );
        if (rs.rowsAffected !== 1) return false;
        await appendEvent(tx, { namespace: ns, memoryId: id, action: 'forget', actor, rule: reason, at });
        return true;
      }),

    restore: (ns, id, at, actor) =>
      db.transaction(async (tx): Promise<RestoreOutcome> => {
        const rs = await tx.execute('SELECT * FROM memories WHERE namespace = ? AND id = ?', [ns, id]);
        const m = mapFirst(db, rs.rows, toMemory);
        if (!m) return { status: 'missing' };
        if (m.deletedAt === null && m.supersededBy === null && m.mergedInto === null) return { status: 'visible' };
        const twin = await tx.execute(`SELECT 1 FROM memories m WHERE m.namespace = ? AND m.content_hash = ? AND m.id <> ? AND ${VISIBLE_SQL}`, [
          ns,
          m.contentHash,
          id,
        ]);
        if (twin.rows.length > 0) return { status: 'conflict' };
        await tx.execute(
          'UPDATE memories SET deleted_at = NULL, deleted_reason = NULL, superseded_by = NULL, merged_into = NULL, updated_at = ? WHERE namespace = ? AND id = ?',
          [at, ns, id],
        );
        const was = m.deletedAt !== null ? 'forgotten' : m.mergedInto !== null ? 'merged' : 'superseded';
        const relatedId = m.mergedInto ?? m.supersededBy;
        if (m.mergedInto) await keepApart(tx, ns, id, m.mergedInto, at);
        await appendEvent(tx, { namespace: ns, memoryId: id, action: was === 'merged' ? 'unmerge' : 'restore', relatedId, actor, at, details: { was } });
        return { status: 'restored', was, relatedId };
      }),

    async links(ns, id) {
      const rs = await db.execute('SELECT * FROM memories WHERE namespace = ? AND id = ?', [ns, id]);
      const memory = mapFirst(db, rs.rows, toMemory);
      if (!memory) return null;
      const [linked, parents] = await Promise.all([
        db.execute('SELECT * FROM memories WHERE namespace = ? AND (superseded_by = ? OR merged_into = ?) ORDER BY created_at DESC, id DESC', [ns, id, id]),
        db.execute('SELECT * FROM memories WHERE namespace = ? AND id IN (?, ?)', [ns, memory.supersededBy ?? '', memory.mergedInto ?? '']),
      ]);
      const children = mapRows(db, linked.rows, toMemory);
      const parent = new Map(mapRows(db, parents.rows, toMemory).map((m) => [m.id, m]));
      const ev = await db.execute('SELECT * FROM memory_events WHERE namespace = ? AND (memory_id = ? OR related_id = ?) ORDER BY at, id', [ns, id, id]);
      const events = mapRows(db, ev.rows, rowMapper('memory_events', toEvent));
      return {
        memory,
        supersedes: children.filter((c) => c.supersededBy === id),
        merged: children.filter((c) => c.mergedInto === id),
        supersededBy: memory.supersededBy ? (parent.get(memory.supersededBy) ?? null) : null,
        mergedInto: memory.mergedInto ? (parent.get(memory.mergedInto) ?? null) : null,
        events,
      };
    },

    async recordAccess(ns, uses) {
      if (uses.length === 0) return;
      await db.batch(
        uses.map((u) => ({
          sql: 'UPDATE memories SET access_count = access_count + ?, last_accessed_at = MAX(COALESCE(last_accessed_at, 0), ?) WHERE namespace = ? AND id = ?',
          args: [u.count, u.at, ns, u.id],
        })),
        'write',
      );
    },
  };
}

/**
 * Records that the curator must never merge `source` with `target` again, nor with any other
 * memory that was ever merged into `target`: pulled out of a cluster, it stays out of all of it.
 */
export async function keepApart(tx: { execute: Db['execute'] }, ns: string, source: string, target: string, at: number): Promise<void> {
  const rs = await tx.execute("SELECT DISTINCT memory_id FROM memory_events WHERE namespace = ? AND action = 'merge' AND related_id = ? AND memory_id <> ?", [
    ns,
    target,
    source,
  ]);
  for (const other of [target, ...rs.rows.map((r) => String(r.memory_id))]) {
    const [x, y] = source < other ? [source, other] : [other, source];
    await tx.execute('INSERT INTO memory_apart (namespace, a, b, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [ns, x, y, at]);
  }
}
