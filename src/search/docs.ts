import type { RetrievalDoc } from '../retrieval/index.js';
import type { EpisodeRecord } from '../episodes/types.js';
import type { MemoryRecord } from '../memory/types.js';

/** The text a memory is searched and embedded by. */
export function memoryText(m: MemoryRecord): string {
  return m.content;
}

/** The text an episode is searched and embedded by: its task, then the completion summary. */
export function episodeText(e: EpisodeRecord): string {
  return e.summary ? `${e.task}\n${e.summary}` : e.task;
}

/**
 * A memory as a retrieval document. Memories from one `source` (a conversation, a file) form a
 * thread in insertion order, so neighbouring turns can lend each other context.
 */
export function memoryDoc(m: MemoryRecord & { rowid?: number }, vector?: Float32Array): RetrievalDoc {
  return {
    id: m.id,
    type: 'memory',
    text: memoryText(m),
    occurredAt: m.occurredAt ?? m.createdAt,
    createdAt: m.createdAt,
    importance: m.importance,
    tags: m.tags,
    kind: m.kind,
    ...(vector ? { vector } : {}),
    ...(m.source ? { thread: `source:${m.source}`, seq: m.rowid ?? m.createdAt } : {}),
  };
}

/** An episode as a retrieval document. */
export function episodeDoc(e: EpisodeRecord, vector?: Float32Array): RetrievalDoc {
  return {
    id: e.id,
    type: 'episode',
    text: episodeText(e),
    occurredAt: e.startedAt,
    createdAt: e.startedAt,
    importance: 0.5,
    tags: e.tags,
    taskType: e.taskType,
    domain: e.domain,
    ...(e.outcomeType ? { outcome: e.outcomeType } : {}),
    ...(e.reward !== null ? { reward: e.reward } : {}),
    ...(vector ? { vector } : {}),
  };
}
