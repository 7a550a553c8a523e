import type { MemoryRecord, NewMemory } from '../memory/types.js';
import { appendEvent } from './memory-events.js';
import { toMemory, VISIBLE_SQL } from './memory-rows.js';
import { mapRows } from './rows.js';
import type { Db, SqlArgs, Tx } from './types.js';

/** How `insert` treats duplicates and corrections. */
export interface InsertOptions {
  /**
   * A visible memory of the same kind and text key created at or after this time (epoch ms), whose
   * occurred_at is within `retryTimeMs` of the new one's, is a client retry: its id is returned.
   */
  retryAfter?: number;
  /** Default 0: the occurred_at of a retry must match exactly. */
  retryTimeMs?: number;
  /** Text key hash stored with the row (finds retries). */
  textKey?: string;
  /** Ids the memory supersedes; each is hidden behind it in the same transaction. */
  supersedes?: readonly string[];
  /**
   * Checks the memories to supersede (`memory` null for an unknown id) inside the transaction,
   * against the id the memory ended up with; throwing rolls everything back.
   */
  checkSupersedes?: (id: string, targets: ReadonlyArray<{ id: string; memory: MemoryRecord | null }>) => void;
  /** Recorded as who wrote it. Default `client`. */
  actor?: string;
}

/** What `insert` did. */
export interface InsertResult {
  id: string;
  deduplicated: boolean;
  /** Ids newly superseded by `id` (already superseded ones are left out). */
  superseded: string[];
}

const COLUMNS = 'id, namespace, content, kind, tags, importance, occurred_at, source, metadata, content_hash, created_at, updated_at, text_key';

/**
 * The insert of `MemoryRepo.insert` inside transaction `tx`: the exact-duplicate and retry checks,
 * the supersessions it asks for and their events.
 */
export async function insertMemory(db: Db, tx: Tx, r: NewMemory, opts: InsertOptions): Promise<InsertResult> {
  const actor = opts.actor ?? 'client';
  const retry = opts.retryAfter !== undefined && opts.textKey !== undefined;
  const near = opts.retryTimeMs ?? 0;
  // A retry must say the same about when: both without a time, or times within `near` of each other.
  const sameTime = '((m.occurred_at IS NULL AND ?1 IS NULL) OR ABS(m.occurred_at - ?1) <= ?2)';
  const retryArgs: SqlArgs = retry ? [r.occurredAt, near, r.namespace, opts.textKey!, r.kind, opts.retryAfter!] : [];
  const retryOf = `SELECT m.id FROM memories m WHERE m.namespace = ?3 AND m.text_key = ?4 AND m.kind = ?5 AND m.created_at >= ?6 AND ${VISIBLE_SQL} AND ${sameTime}`;
  const ins = await tx.execute(
    `INSERT INTO memories (${COLUMNS})
     SELECT ?7, ?3, ?8, ?5, ?9, ?10, ?1, ?11, ?12, ?13, ?14, ?15, ?4
     WHERE ${retry ? `NOT EXISTS (${retryOf})` : '1'}
     ON CONFLICT (namespace, content_hash) WHERE deleted_at IS NULL AND superseded_by IS NULL AND merged_into IS NULL DO NOTHING`,
    [
      r.occurredAt,
      near,
      r.namespace,
      opts.textKey ?? null,
      r.kind,
      opts.retryAfter ?? 0,
      r.id,
      r.content,
      JSON.stringify(r.tags),
      r.importance,
      r.source,
      JSON.stringify(r.metadata),
      r.contentHash,
      r.createdAt,
      r.updatedAt,
    ],
  );
  let id = r.id;
  const deduplicated = ins.rowsAffected !== 1;
  if (deduplicated) {
    const same = await tx.execute(`SELECT m.id FROM memories m WHERE m.namespace = ? AND m.content_hash = ? AND ${VISIBLE_SQL}`, [r.namespace, r.contentHash]);
    const again = same.rows[0] ?? (retry ? (await tx.execute(`${retryOf} ORDER BY m.created_at DESC LIMIT 1`, retryArgs)).rows[0] : undefined);
    id = String(again?.id);
  } else {
    await appendEvent(tx, { namespace: r.namespace, memoryId: id, action: 'remember', actor, at: r.createdAt, details: { kind: r.kind } });
  }

  const wanted = [...new Set(opts.supersedes ?? [])];
  if (wanted.length === 0) return { id, deduplicated, superseded: [] };
  const rs = await tx.execute(`SELECT * FROM memories WHERE namespace = ? AND id IN (${wanted.map(() => '?').join(',')})`, [r.namespace, ...wanted]);
  const found = new Map(mapRows(db, rs.rows, toMemory).map((m) => [m.id, m]));
  opts.checkSupersedes?.(
    id,
    wanted.map((w) => ({ id: w, memory: found.get(w) ?? null })),
  );
  const superseded: string[] = [];
  for (const w of wanted) {
    const t = found.get(w);
    if (!t || t.supersededBy === id) continue;
    const up = await tx.execute(
      `UPDATE memories SET superseded_by = ?, updated_at = ? WHERE namespace = ? AND id = ? AND superseded_by IS NULL AND deleted_at IS NULL`,
      [id, r.createdAt, r.namespace, t.id],
    );
    if (up.rowsAffected !== 1) continue;
    superseded.push(t.id);
    await appendEvent(tx, { namespace: r.namespace, memoryId: t.id, action: 'supersede', relatedId: id, actor, rule: 'explicit', at: r.createdAt });
  }
  return { id, deduplicated, superseded };
}
