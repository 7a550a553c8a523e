import type { UndoReport } from '../memory/types.js';
import { num, parseJson } from './json.js';
import { appendEvent, toEvent } from './memory-events.js';
import { keepApart } from './memory-lifecycle-repo.js';
import { VISIBLE_SQL } from './memory-rows.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db, Tx } from './types.js';

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

/** Maps a `curation_runs` row. */
export const toRun = (r: Record<string, unknown>): CurationRun => ({
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

/** The writes of `CurationRepo.apply`, inside transaction `tx` (see its documentation). */
export async function applyRun(
  tx: Tx,
  run: Omit<CurationRun, 'merged' | 'decayed' | 'undoneAt'>,
  merges: readonly PlannedMerge[],
  decay: ReadonlyArray<{ id: string; decay: number }>,
): Promise<PlannedMerge[]> {
  const seq = async () =>
    Number((await tx.execute('SELECT COALESCE(MAX(change_seq), 0) AS s FROM memories WHERE namespace = ?', [run.namespace])).rows[0]?.s ?? 0);
  const quiet = (await seq()) === run.uptoSeq;
  const applied: PlannedMerge[] = [];
  const before = new Map<string, { tags: string[]; importance: number }>();
  for (const m of merges) {
    if (!before.has(m.targetId)) {
      const rs = await tx.execute(`SELECT tags, importance FROM memories m WHERE namespace = ? AND id = ? AND ${VISIBLE_SQL}`, [run.namespace, m.targetId]);
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
  await tx.execute('INSERT INTO curation_runs (id, namespace, actor, started_at, finished_at, upto_seq, merged, decayed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    run.id,
    run.namespace,
    run.actor,
    run.startedAt,
    run.finishedAt,
    uptoSeq,
    applied.length,
    decay.length,
  ]);
  return applied;
}

/** The writes of `CurationRepo.undo`, inside transaction `tx` (see its documentation). */
export async function undoRun(db: Db, tx: Tx, ns: string, runId: string, at: number, actor: string): Promise<UndoReport | { blockedBy: string }> {
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
}
