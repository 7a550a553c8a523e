/** Vocabulary of memories. A leaf: storage and services import it, it imports nothing. */

/** What a memory is (`remember`'s `kind`). */
export const MEMORY_KINDS = ['note', 'fact', 'preference', 'observation', 'event'] as const;
/** One of `MEMORY_KINDS`. */
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/** A memory. Forgotten memories keep their row with `deletedAt` set. */
export interface MemoryRecord {
  id: string;
  namespace: string;
  content: string;
  kind: MemoryKind;
  tags: string[];
  importance: number;
  /** When the remembered thing happened (or happens), if the caller said. */
  occurredAt: number | null;
  source: string | null;
  metadata: Record<string, unknown>;
  /** Identifies an exact duplicate: same normalised content, kind and time. */
  contentHash: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  deletedReason: string | null;
}
