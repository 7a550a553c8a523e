import type { CurationRun } from '../storage/curation-repo.js';
import type { CurationReport, MemoryEvent, MemoryHistory, MemoryRecord, MemoryStatus, UndoReport } from './types.js';

/**
 * Memories, histories and curation runs as JSON with snake_case keys and ISO times: the one shape
 * the `cairn://memories/{id}` resource, the `cairn memories` and `cairn curate` commands print.
 */

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Where a memory stands. */
export function statusOf(m: MemoryRecord): MemoryStatus {
  return m.deletedAt !== null ? 'forgotten' : m.mergedInto !== null ? 'merged' : m.supersededBy !== null ? 'superseded' : 'live';
}

/** A memory, every field, in any state. */
export function memoryView(m: MemoryRecord) {
  return {
    id: m.id,
    status: statusOf(m),
    content: m.content,
    kind: m.kind,
    tags: m.tags,
    importance: m.importance,
    occurred_at: iso(m.occurredAt),
    source: m.source,
    metadata: m.metadata,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    superseded_by: m.supersededBy,
    merged_into: m.mergedInto,
    forgotten_at: iso(m.deletedAt),
    forgotten_reason: m.deletedReason,
    decay: m.decay,
    access_count: m.accessCount,
    last_accessed_at: iso(m.lastAccessedAt),
  };
}

/** One audit event. */
export function eventView(e: MemoryEvent) {
  return {
    at: iso(e.at),
    action: e.action,
    memory_id: e.memoryId,
    related_id: e.relatedId,
    actor: e.actor,
    run_id: e.runId,
    rule: e.rule,
    score: e.score,
    details: e.details,
  };
}

/** A memory with its links (superseded, merged originals in full) and its audit trail. */
export function historyView(h: MemoryHistory) {
  return {
    memory: memoryView(h.memory),
    supersedes: h.supersedes.map(memoryView),
    superseded_by: h.supersededBy ? memoryView(h.supersededBy) : null,
    merged_into: h.mergedInto ? memoryView(h.mergedInto) : null,
    merged: h.merged.map(memoryView),
    events: h.events.map(eventView),
  };
}

/** What a curation run did or, dry, would do. */
export function curationView(r: CurationReport) {
  return {
    run_id: r.runId,
    namespace: r.namespace,
    dry_run: r.dryRun,
    considered: r.considered,
    new: r.new,
    merged: r.merges.length,
    decayed: r.decayed,
    took_ms: r.tookMs,
    merges: r.merges.map((m) => ({
      source_id: m.sourceId,
      target_id: m.targetId,
      rule: m.rule,
      score: m.score,
      source: m.sourceContent,
      target: m.targetContent,
    })),
  };
}

/** What undoing a run restored. */
export function undoView(u: UndoReport) {
  return { run_id: u.runId, unmerged: u.unmerged, kept: u.kept };
}

/** A recorded run. */
export function runView(r: CurationRun) {
  return {
    run_id: r.id,
    actor: r.actor,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    merged: r.merged,
    decayed: r.decayed,
    undone_at: iso(r.undoneAt),
  };
}
