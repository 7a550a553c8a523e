import type { EpisodeRecord } from '../episodes/types.js';
import type { MemoryRecord } from '../memory/types.js';
import type { RetrievalDoc } from '../retrieval/index.js';

/** The text a memory is searched and embedded by. */
export function memoryText(m: MemoryRecord): string {
  return m.content;
}

/** The text an episode is searched and embedded by: its task, then the completion summary. */
export function episodeText(e: EpisodeRecord): string {
  return e.summary ? `${e.task}\n${e.summary}` : e.task;
}

/**
 * A memory as a retrieval document, positioned by its write order (`rowid`). Memories from one
 * `source` (a conversation, a file) form a thread, so neighbouring turns can lend each other
 * context; memories without one join the thread the index infers from write order and time. A
 * superseded or merged memory is held hidden (still context for its thread, returned only on
 * request); its decay factor multiplies its rank.
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
    seq: m.rowid ?? m.createdAt,
    ...(m.source ? { thread: `source:${m.source}` } : {}),
    ...(m.supersededBy !== null || m.mergedInto !== null ? { hidden: true } : {}),
    ...(m.decay !== 1 ? { decay: m.decay } : {}),
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
