/** Vocabulary of memories. A leaf: storage and services import it, it imports nothing. */

/** What a memory is (`remember`'s `kind`). */
export const MEMORY_KINDS = ['note', 'fact', 'preference', 'observation', 'event'] as const;
/** One of `MEMORY_KINDS`. */
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/**
 * A memory. Forgotten memories keep their row with `deletedAt` set; superseded and merged ones keep
 * it with `supersededBy` / `mergedInto` set (hidden from default queries, never deleted).
 */
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
  /** The newer memory that corrects this one, or null. */
  supersededBy: string | null;
  /** The canonical memory this near-duplicate was merged into by the curator, or null. */
  mergedInto: string | null;
  /** Ranking multiplier from disuse, (0, 1]; 1 until the curator lowers it. Never deletes. */
  decay: number;
  /** Times the memory was returned by a query (recorded in batches). */
  accessCount: number;
  lastAccessedAt: number | null;
}

/** The lifecycle fields storage fills in; a new memory is written without them. */
export type LifecycleFields = 'supersededBy' | 'mergedInto' | 'decay' | 'accessCount' | 'lastAccessedAt';

/** A memory as written by `remember` or an import. */
export type NewMemory = Omit<MemoryRecord, LifecycleFields>;

/** Where a memory stands. `live` ones are what default queries return. */
export type MemoryStatus = 'live' | 'superseded' | 'merged' | 'forgotten';

/** What happened to a memory, as recorded in its history. */
export const MEMORY_ACTIONS = ['remember', 'supersede', 'forget', 'restore', 'merge', 'unmerge'] as const;
/** One of `MEMORY_ACTIONS`. */
export type MemoryAction = (typeof MEMORY_ACTIONS)[number];

/** Who did it: a client through a tool, an operator through the CLI, or the background curator. */
export type MemoryActor = 'client' | 'cli' | 'curator';

/** One entry of the audit trail. */
export interface MemoryEvent {
  id: string;
  namespace: string;
  /** The memory the event changed. */
  memoryId: string;
  action: MemoryAction;
  /** The other memory involved: the newer one (supersede), the canonical one (merge, unmerge). */
  relatedId: string | null;
  actor: MemoryActor;
  /** The curation run that made the change, if any. */
  runId: string | null;
  /** Why: `explicit`, `same-text`, `vector`, a forget reason… */
  rule: string | null;
  /** The similarity behind a merge, when there is one. */
  score: number | null;
  details: Record<string, unknown>;
  at: number;
}

/** A live memory that a new fact or preference may correct (`remember`'s `possibly_supersedes`). */
export interface SupersedeCandidate {
  id: string;
  content: string;
  /** Cosine similarity of the two texts, 0..1. */
  similarity: number;
}

/** A memory with everything that happened to it and the memories it is linked to. */
export interface MemoryHistory {
  memory: MemoryRecord;
  status: MemoryStatus;
  /** Memories this one superseded (newest first). */
  supersedes: MemoryRecord[];
  /** The memory that superseded this one. */
  supersededBy: MemoryRecord | null;
  /** The canonical memory this one was merged into. */
  mergedInto: MemoryRecord | null;
  /** Near-duplicates merged into this one, each readable in full. */
  merged: MemoryRecord[];
  /** The audit trail of this memory and of those linked to it, oldest first. */
  events: MemoryEvent[];
}

/** Filters of a memory listing (`query_memory` without a query, `cairn memories list`). */
export interface BrowseFilter {
  kinds?: MemoryKind[];
  /** Every one of these tags. */
  tags?: string[];
  /** Inclusive bounds on occurred_at (falling back to created_at), epoch ms. */
  since?: number;
  until?: number;
  /** Also list superseded and merged memories. Default false. */
  includeHidden?: boolean;
  /** Namespaces listed besides the one browsed (a session's global namespace beside its project's). Default none. */
  alsoIn?: readonly string[];
}

/** One page of a listing, newest first. */
export interface BrowsePage {
  memories: MemoryRecord[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Why the curator put two memories together. */
export type MergeRule = 'same-text' | 'vector';

/** One planned or applied merge: `sourceId` is hidden behind `targetId`. */
export interface MergeAction {
  sourceId: string;
  targetId: string;
  rule: MergeRule;
  /** Cosine similarity (1 for the same text). */
  score: number;
  /** Content of both, so a dry run can be read without further lookups. */
  sourceContent: string;
  targetContent: string;
}

/** What one curation run did (or, dry, would do). */
export interface CurationReport {
  /** Null for a dry run: nothing was written. */
  runId: string | null;
  namespace: string;
  dryRun: boolean;
  /** Live memories considered; `new` of them changed since the previous run. */
  considered: number;
  new: number;
  merges: MergeAction[];
  /** Memories whose decay factor changed (decay lowers rank; nothing is deleted). */
  decayed: number;
  tookMs: number;
}

/** What the duplicate rules (and the curator) read of a memory. */
export interface DuplicateItem {
  id: string;
  kind: MemoryKind;
  content: string;
  occurredAt: number | null;
  createdAt: number;
  importance: number;
  tags: string[];
  accessCount: number;
}

/** What undoing a run restored. */
export interface UndoReport {
  runId: string;
  /** Memories brought back from their canonical memory. */
  unmerged: string[];
  /** Memories left merged, with why (an identical memory is live now). */
  kept: Array<{ id: string; reason: string }>;
}
