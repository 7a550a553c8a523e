import { type DuplicateItem, MEMORY_KINDS, type MemoryKind, type UndoReport } from '../memory/types.js';
import { applyRun, type CurationRun, type PlannedMerge, toRun, undoRun } from './curation-writes.js';
import { finite, finiteOrNull, jsonStrings, oneOf } from './json.js';
import { VISIBLE_SQL } from './memory-rows.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

export type { CurationRun, PlannedMerge } from './curation-writes.js';

/** What the curator reads of a visible memory: what the duplicate rules read, and more. */
export interface CurationItem extends DuplicateItem {
  lastAccessedAt: number | null;
  decay: number;
  changeSeq: number;
  /** Null for memories written before text keys existed (the curator fills them in). */
  textKey: string | null;
}

/** SQL of the curator: what it reads, the runs it writes, and their undo. */
export interface CurationRepo {
  /** Namespaces holding memories. */
  namespaces(): Promise<string[]>;
  /** Every visible memory of `ns`, in storage order. */
  items(ns: string): Promise<CurationItem[]>;
  /** Highest change sequence of the namespace's memories (0 when empty). */
  maxSeq(ns: string): Promise<number>;
  /** The latest run of `ns`, undone or not, or null. */
  lastRun(ns: string): Promise<CurationRun | null>;
  /** Pairs never to merge again, as `a\u0000b` with a < b. */
  apart(ns: string): Promise<Set<string>>;
  /** Stores text keys computed for memories that had none (not a change of the memory). */
  setTextKeys(ns: string, keys: ReadonlyArray<{ id: string; textKey: string }>): Promise<void>;
  /**
   * Writes one run atomically: each merge only while both memories are still visible (others are
   * skipped), its event with the target's previous tags and importance, the targets' new tags and
   * importance, the new decay factors, and the run itself. Returns the merges applied. The run
   * records `uptoSeq`, or the sequence after its own writes when nothing else was written since.
   */
  apply(
    run: Omit<CurationRun, 'merged' | 'decayed' | 'undoneAt'>,
    merges: readonly PlannedMerge[],
    decay: ReadonlyArray<{ id: string; decay: number }>,
  ): Promise<PlannedMerge[]>;
  run(ns: string, id: string): Promise<CurationRun | null>;
  /** Runs of `ns`, newest first. */
  runs(ns: string, limit: number): Promise<CurationRun[]>;
  /**
   * Reverses the merges of a run (targets get their previous tags and importance back; each pair is
   * kept apart from then on). `blockedBy` names a later run that merged some of the same memories.
   */
  undo(ns: string, runId: string, at: number, actor: string): Promise<UndoReport | { blockedBy: string }>;
}

const toItem = rowMapper(
  'memories',
  (r: Record<string, unknown>): CurationItem => ({
    id: String(r.id),
    kind: oneOf<MemoryKind>(r.kind, MEMORY_KINDS, 'kind'),
    content: String(r.content),
    occurredAt: finiteOrNull(r.occurred_at, 'occurred_at'),
    createdAt: finite(r.created_at, 'created_at'),
    importance: finite(r.importance, 'importance'),
    tags: jsonStrings(r.tags, 'tags'),
    accessCount: finite(r.access_count, 'access_count'),
    lastAccessedAt: finiteOrNull(r.last_accessed_at, 'last_accessed_at'),
    decay: finite(r.decay, 'decay'),
    changeSeq: finite(r.change_seq, 'change_seq'),
    textKey: r.text_key === null ? null : String(r.text_key),
  }),
);

/** Creates the curation repository over `db`. */
export function createCurationRepo(db: Db): CurationRepo {
  return {
    async namespaces() {
      const rs = await db.execute('SELECT DISTINCT namespace FROM memories');
      return rs.rows.map((r) => String(r.namespace));
    },
    async items(ns) {
      const out: CurationItem[] = [];
      for (let after = 0; ; ) {
        const rs = await db.execute(
          `SELECT rowid AS rowid_, id, kind, content, occurred_at, created_at, importance, tags, access_count, last_accessed_at, decay, change_seq, text_key
           FROM memories m WHERE namespace = ? AND ${VISIBLE_SQL} AND rowid > ? ORDER BY rowid LIMIT 5000`,
          [ns, after],
        );
        out.push(...mapRows(db, rs.rows, toItem));
        if (rs.rows.length < 5000) return out;
        after = Number(rs.rows.at(-1)!.rowid_);
      }
    },
    async maxSeq(ns) {
      const rs = await db.execute('SELECT COALESCE(MAX(change_seq), 0) AS s FROM memories WHERE namespace = ?', [ns]);
      return Number(rs.rows[0]?.s ?? 0);
    },
    async lastRun(ns) {
      const rs = await db.execute('SELECT * FROM curation_runs WHERE namespace = ? ORDER BY started_at DESC, id DESC LIMIT 1', [ns]);
      return rs.rows[0] ? toRun(rs.rows[0]) : null;
    },
    async apart(ns) {
      const rs = await db.execute('SELECT a, b FROM memory_apart WHERE namespace = ?', [ns]);
      return new Set(rs.rows.map((r) => `${String(r.a)}\u0000${String(r.b)}`));
    },
    async setTextKeys(ns, keys) {
      if (keys.length === 0) return;
      await db.batch(
        keys.map((k) => ({ sql: 'UPDATE memories SET text_key = ? WHERE namespace = ? AND id = ?', args: [k.textKey, ns, k.id] })),
        'write',
      );
    },
    apply: (run, merges, decay) => db.transaction((tx) => applyRun(tx, run, merges, decay)),
    async run(ns, id) {
      const rs = await db.execute('SELECT * FROM curation_runs WHERE namespace = ? AND id = ?', [ns, id]);
      return rs.rows[0] ? toRun(rs.rows[0]) : null;
    },
    async runs(ns, limit) {
      const rs = await db.execute('SELECT * FROM curation_runs WHERE namespace = ? ORDER BY started_at DESC, id DESC LIMIT ?', [ns, limit]);
      return rs.rows.map(toRun);
    },
    undo: (ns, runId, at, actor) => db.transaction((tx) => undoRun(db, tx, ns, runId, at, actor)),
  };
}
