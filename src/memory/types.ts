/** Vocabulary of memories and search. A leaf: storage and services import it, it imports nothing. */

/** What a memory is. */
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

/** Where `query_memory` looks. */
export const SCOPES = ['memories', 'episodes', 'patterns'] as const;
export type Scope = (typeof SCOPES)[number];

/** A normalised query, as services see it (times parsed to epoch ms). */
export interface MemoryQuery {
  query: string;
  scope: Scope[];
  limit: number;
  kinds?: string[];
  tags?: string[];
  taskType?: string;
  domain?: string;
  outcomes?: string[];
  since?: number;
  until?: number;
}

/** One ranked result, with the parts of its score so a caller can see why it ranked. */
export interface SearchHit {
  type: 'memory' | 'episode' | 'pattern';
  id: string;
  score: number;
  /** The memory text, episode summary or pattern description. */
  text: string;
  tags: string[];
  metadata: Record<string, unknown>;
  occurredAt: number | null;
  kind?: string;
  taskType?: string;
  domain?: string;
  outcome?: string | null;
  reward?: number | null;
  importance?: number;
  parts: Record<string, number>;
}

/** Finds memories, episodes and patterns for a query. */
export interface SearchEngine {
  readonly name: string;
  search(ns: string, q: MemoryQuery, now: number): Promise<SearchHit[]>;
}
