import type { EpisodeRecord } from '../episodes/types.js';
import type { MemoryRecord } from '../memory/types.js';
import type { SearchHit } from './types.js';

/** A memory as a query_memory result (score and parts filled by the engine). */
export function memoryHit(m: MemoryRecord, score = 0, parts: Record<string, number> = {}): SearchHit {
  return {
    type: 'memory',
    id: m.id,
    score,
    text: m.content,
    tags: m.tags,
    metadata: m.metadata,
    occurredAt: m.occurredAt ?? m.createdAt,
    kind: m.kind,
    importance: m.importance,
    ...(m.supersededBy !== null ? { supersededBy: m.supersededBy } : {}),
    ...(m.mergedInto !== null ? { mergedInto: m.mergedInto } : {}),
    parts,
  };
}

/** An episode as a query_memory result: its summary (or task), outcome and reward. */
export function episodeHit(e: EpisodeRecord, score = 0, parts: Record<string, number> = {}): SearchHit {
  return {
    type: 'episode',
    id: e.id,
    score,
    text: e.summary ?? e.task,
    tags: e.tags,
    metadata: { status: e.status, complexity: e.complexity, context: e.context },
    occurredAt: e.startedAt,
    taskType: e.taskType,
    domain: e.domain,
    outcome: e.outcomeType,
    reward: e.reward,
    parts,
  };
}
