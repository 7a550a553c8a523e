import { MEMORY_KINDS, type MemoryKind, type UndoReport } from '../memory/types.js';
import { finite, finiteOrNull, jsonStrings, num, oneOf, parseJson } from './json.js';
import { appendEvent, toEvent } from './memory-events.js';
import { keepApart } from './memory-lifecycle-repo.js';
import { VISIBLE_SQL } from './memory-repo.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

/** What the curator reads of a visible memory. */
export interface CurationItem {
  id: string;
  kind: MemoryKind;
  content: string;
  occurredAt: number | null;
  createdAt: number;
  importance: number;
  tags: string[];
  accessCount: number;
  lastAccessedAt: number | null;
  decay: number;
  changeSeq: number;
  /** Null for memories written before text keys existed (the curator fills them in). */
  textKey: string | null;
}

/** A merge to write: `sourceId` hidden behind `targetId`, which takes `target` tags and importance. */
export interface PlannedMerge {
  sourceId: string;
  targetId: string;
  rule: string;
  score: number;
  target: { tags: string[]; importance: number };
}

/** A recorded curation run. */
export interface CurationRun {
  id: string;
  namespace: string;
  actor: string;
  startedAt: number;
  finishedAt: number;
  uptoSeq: number;
  merged: number;
  decayed: number;
  undoneAt: number | null;
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

const toRun = (r: Record<string, unknown>): CurationRun => ({
  id: String(r.id),
  namespace: String(r.namespace),
  actor: String(r.actor),
  startedAt: Number(r.started_at),
  finishedAt: Number(r.finished_at),
  uptoSeq: Number(r.upto_seq),
  merged: Number(r.merged),
  decayed: Number(r.decayed),
  undoneAt: num(r.undone_at),
});

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
    apply: (run, merges, decay) =>
      db.transaction(async (tx) => {
        const seq = async () =>
          Number((await tx.execute('SELECT COALESCE(MAX(change_seq), 0) AS s FROM memories WHERE namespace = ?', [run.namespace])).rows[0]?.s ?? 0);
        const quiet = (await seq()) === run.uptoSeq;
        const applied: PlannedMerge[] = [];
        const before = new Map<string, { tags: string[]; importance: number }>();
        for (const m of merges) {
          if (!before.has(m.targetId)) {
            const rs = await tx.execute(`SELECT tags, importance FROM memories m WHERE namespace = ? AND id = ? AND ${VISIBLE_SQL}`, [
              run.namespace,
              m.targetId,
            ]);
            if (!rs.rows[0]) continue;
            before.set(m.targetId, { tags: parseJson<string[]>(rs.rows[0].tags, []), importance: Number(rs.rows[0].importance) });
          }
          const up = await tx.execute(
            `UPDATE memories SET merged_into = ?, updated_at = ? WHERE namespace = ? AND id = ? AND deleted_at IS NULL AND superseded_by IS NULL AND merged_into IS NULL`,
            [m.targetId, run.finishedAt, run.namespace, m.sourceId],
          );
          if (up.rowsAffected !== 1) continue;
          const first = !applied.some((a) => a.targetId === m.targetId);
          await appendEvent(tx, {
            namespace: run.namespace,
            memoryId: m.sourceId,
            action: 'merge',
            relatedId: m.targetId,
            actor: run.actor,
            runId: run.id,
            rule: m.rule,
            score: m.score,
            at: run.finishedAt,
            details: first ? { target_before: before.get(m.targetId) } : {},
          });
          applied.push(m);
        }
        for (const [target, was] of before) {
          const now = [...applied].reverse().find((a) => a.targetId === target)?.target;
          if (!now || (JSON.stringify(now.tags) === JSON.stringify(was.tags) && now.importance === was.importance)) continue;
          await tx.execute('UPDATE memories SET tags = ?, importance = ?, updated_at = ? WHERE namespace = ? AND id = ?', [
            JSON.stringify(now.tags),
            now.importance,
            run.finishedAt,
            run.namespace,
            target,
          ]);
        }
        for (const d of decay) await tx.execute('UPDATE memories SET decay = ? WHERE namespace = ? AND id = ?', [d.decay, run.namespace, d.id]);
        // The run's own changes need no second look; another writer's since the read do.
        const uptoSeq = quiet ? await seq() : run.uptoSeq;
        await tx.execute(
          'INSERT INTO curation_runs (id, namespace, actor, started_at, finished_at, upto_seq, merged, decayed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [run.id, run.namespace, run.actor, run.startedAt, run.finishedAt, uptoSeq, applied.length, decay.length],
        );
        return applied;
      }),
    async run(ns, id) {
      const rs = await db.execute('SELECT * FROM curation_runs WHERE namespace = ? AND id = ?', [ns, id]);
      return rs.rows[0] ? toRun(rs.rows[0]) : null;
    },
    async runs(ns, limit) {
      const rs = await db.execute('SELECT * FROM curation_runs WHERE namespace = ? ORDER BY started_at DESC, id DESC LIMIT ?', [ns, limit]);
      return rs.rows.map(toRun);
    },
    undo: (ns, runId, at, actor) =>
      db.transaction(async (tx) => {
        const run = toRun((await tx.execute('SELECT * FROM curation_runs WHERE namespace = ? AND id = ?', [ns, runId])).rows[0]!);
        const events = mapRows(
          db,
          (await tx.execute("SELECT * FROM memory_events WHERE run_id = ? AND action = 'merge' ORDER BY at, id", [runId])).rows,
          rowMapper('memory_events', toEvent),
        );
        const touched = new Set(events.flatMap((e) => [e.memoryId, e.relatedId!]));
        const later = await tx.execute(
          'SELECT id FROM curation_runs WHERE namespace = ? AND undone_at IS NULL AND id <> ? AND (started_at > ? OR (started_at = ? AND id > ?)) ORDER BY started_at, id',
          [ns, runId, run.startedAt, run.startedAt, runId],
        );
        for (const r of later.rows) {
          const rs = await tx.execute("SELECT memory_id, related_id FROM memory_events WHERE run_id = ? AND action = 'merge'", [String(r.id)]);
          if (rs.rows.some((e) => touched.has(String(e.memory_id)) || touched.has(String(e.related_id)))) return { blockedBy: String(r.id) };
        }
        const unmerged: string[] = [];
        const kept: UndoReport['kept'] = [];
        for (const e of events) {
          const up = await tx.execute(
            `UPDATE memories SET merged_into = NULL, updated_at = ? WHERE namespace = ? AND id = ? AND merged_into = ?
               AND NOT EXISTS (SELECT 1 FROM memories m WHERE m.namespace = memories.namespace AND m.content_hash = memories.content_hash AND m.id <> memories.id AND ${VISIBLE_SQL})`,
            [at, ns, e.memoryId, e.relatedId],
          );
          if (up.rowsAffected !== 1) {
            kept.push({ id: e.memoryId, reason: 'no longer merged into the same memory, or an identical memory is visible now' });
            continue;
          }
          unmerged.push(e.memoryId);
          await keepApart(tx, ns, e.memoryId, e.relatedId!, at);
          await appendEvent(tx, {
            namespace: ns,
            memoryId: e.memoryId,
            action: 'unmerge',
            relatedId: e.relatedId,
            actor,
            runId,
            rule: e.rule,
            score: e.score,
            at,
          });
        }
        for (const e of events) {
          const was = e.details.target_before as { tags: string[]; importance: number } | undefined;
          if (was)
            await tx.execute('UPDATE memories SET tags = ?, importance = ?, updated_at = ? WHERE namespace = ? AND id = ?', [
              JSON.stringify(was.tags),
              was.importance,
              at,
              ns,
              e.relatedId,
            ]);
        }
        await tx.execute('UPDATE curation_runs SET undone_at = ? WHERE id = ?', [at, runId]);
        return { runId, unmerged, kept };
      }),
  };
}
