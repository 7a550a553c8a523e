import type { Row } from '@libsql/client';
import { uuidv7 } from '../ids.js';
import { MEMORY_ACTIONS, type MemoryAction, type MemoryActor, type MemoryEvent } from '../memory/types.js';
import { finite, finiteOrNull, jsonObject, oneOf, str } from './json.js';
import type { Tx } from './types.js';

/** An event to append: the id is made here; absent fields are null or `{}`. */
export interface NewMemoryEvent {
  namespace: string;
  memoryId: string;
  action: MemoryAction;
  relatedId?: string | null;
  actor: string;
  runId?: string | null;
  rule?: string | null;
  score?: number | null;
  details?: Record<string, unknown>;
  at: number;
}

/** Appends one audit event inside the transaction that made the change it records. */
export async function appendEvent(tx: Tx, e: NewMemoryEvent): Promise<void> {
  await tx.execute(
    'INSERT INTO memory_events (id, namespace, memory_id, action, related_id, actor, run_id, rule, score, details, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      uuidv7(e.at),
      e.namespace,
      e.memoryId,
      e.action,
      e.relatedId ?? null,
      e.actor,
      e.runId ?? null,
      e.rule ?? null,
      e.score ?? null,
      JSON.stringify(e.details ?? {}),
      e.at,
    ],
  );
}

/** Maps a `memory_events` row to an event; throws (naming the column) on a value it cannot read. */
export function toEvent(row: Row): MemoryEvent {
  return {
    id: String(row.id),
    namespace: String(row.namespace),
    memoryId: String(row.memory_id),
    action: oneOf<MemoryAction>(row.action, MEMORY_ACTIONS, 'action'),
    relatedId: str(row.related_id),
    actor: String(row.actor) as MemoryActor,
    runId: str(row.run_id),
    rule: str(row.rule),
    score: finiteOrNull(row.score, 'score'),
    details: jsonObject(row.details, 'details'),
    at: finite(row.at, 'at'),
  };
}
