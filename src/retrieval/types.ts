import type { ImageLayout } from './snapshot/image.js';

/** What a retrieval document is: a memory, an episode or a pattern summary. */
export type RetrievalDocType = 'memory' | 'episode' | 'pattern';

/**
 * One searchable item. The caller (the storage layer) owns the record; the index keeps only what
 * ranking needs. `vector`, when given, must be L2-normalised and of the index's `dim`.
 */
export interface RetrievalDoc {
  /** Stable id, unique within the index. Adding an existing id replaces the document. */
  id: string;
  type: RetrievalDocType;
  /** Main text (memory content, episode task and summary, pattern description). */
  text: string;
  /** When the remembered thing happened (epoch ms). */
  occurredAt: number;
  /** When the record was written (epoch ms). */
  createdAt: number;
  /** 0..1; 0.5 is neutral. */
  importance: number;
  /** Episode reward (≥ 0, ~0..1.5); absent for memories and patterns. */
  reward?: number;
  tags: string[];
  /** Memory kind (note, fact, preference, …). Indexed as a weighted text field. */
  kind?: string;
  taskType?: string;
  domain?: string;
  outcome?: string;
  /** Embedding in the index's vector space; documents without one rank by text signals only. */
  vector?: Float32Array;
  /**
   * Sequence the document belongs to (a conversation, a session, a source). Documents of one
   * thread are neighbours in `seq` order (falling back to `occurredAt`); documents without a
   * thread have no neighbours.
   */
  thread?: string;
  /** Position in the thread (e.g. a turn index). Defaults to `occurredAt`. */
  seq?: number;
  /**
   * Held (its text still lends context to its thread) but returned only when a query sets
   * `includeHidden`: a superseded or merged memory. Default false.
   */
  hidden?: boolean;
  /** Ranking multiplier from disuse, (0, 1]; multiplies like importance. Default 1. */
  decay?: number;
}

/** Restricts which documents may be returned. Every given field must match. */
export interface RetrievalFilters {
  types?: RetrievalDocType[];
  /** Matches `kind`. */
  kinds?: string[];
  /** The document must carry every listed tag (case-insensitive). */
  tags?: string[];
  taskType?: string;
  domain?: string;
  outcome?: string;
  /** Inclusive lower bound on `occurredAt` (epoch ms). */
  since?: number;
  /** Inclusive upper bound on `occurredAt` (epoch ms). */
  until?: number;
  /** Also return hidden documents. Default false. */
  includeHidden?: boolean;
}

/** One search request. */
export interface RetrievalQuery {
  text: string;
  /** The query's embedding in the index's vector space; omit to rank by text signals only. */
  vector?: Float32Array;
  /** Number of results, ≥ 1. */
  limit: number;
  filters?: RetrievalFilters;
  /** Reference time for recency and relative dates ("last week"), epoch ms. */
  now: number;
  /** False ranks by relevance alone (no MMR), e.g. to list many near-identical logs. Default true. */
  diversify?: boolean;
  /**
   * Drops results whose `relevance` (see {@link ScoreParts.relevance}) is below this, 0..1. 0 keeps
   * every result, also those without evidence of their own. Default 0.
   */
  minScore?: number;
}

/**
 * Why a result ranked where it did. Signals are raw values (0 when a signal did not apply);
 * multipliers are 1 when neutral. score = fused × recency × importance × decay × reward ×
 * temporal × label × form, lowered by MMR when the result repeats an earlier one.
 */
export interface ScoreParts {
  /** BM25F of the document's own text, fields and thread context. */
  bm25: number;
  /** Text score lent by neighbouring documents and the document's thread. */
  neighbours: number;
  /** Cosine similarity of the query and document vectors. */
  vector: number;
  /** Cosine similarity in the namespace's learned term space. */
  semantic: number;
  /** The fused score (z-score or RRF fusion, per the index options) before multipliers. */
  fused: number;
  /** Reciprocal-rank-fusion score of the text, vector and semantic lists (reported either way). */
  rrf: number;
  /** Multiplier from age (≤ 1; decay lowers rank, never removes). */
  recency: number;
  /** Multiplier from importance. */
  importance: number;
  /** Multiplier from disuse (the document's `decay`, 1 when unset). */
  decay: number;
  /** Multiplier from episode reward (1 for non-episodes). */
  reward: number;
  /** Multiplier from temporal cues in the query (1 when none). */
  temporal: number;
  /** Multiplier when the query names the document's leading label ("Caroline: …"). */
  label: number;
  /** Multiplier below 1 when the document only asks a question and the query is a question. */
  form: number;
  /** MMR redundancy with an earlier result, 0..1 (0 for the first and for distinct results). */
  diversity: number;
  /**
   * 0..1, how well the document itself matches: its text score (bm25 + neighbours) as a share of
   * the best candidate's when it holds a query word; its vector cosine as a share of the best when
   * that cosine reaches `evidenceCosine.alone` (`.unmatched` when no document holds a query word);
   * the larger of the two, and 0 without either (a document ranked only by context from its
   * neighbours, feedback terms or a weak vector match). `minScore` compares against it.
   */
  relevance: number;
}

/** One ranked result. */
export interface RetrievalHit {
  id: string;
  /** Final score; higher is better. Comparable only within one search. */
  score: number;
  parts: ScoreParts;
}

/** An in-memory hybrid index over the documents of one namespace. */
export interface RetrievalIndex {
  /** Vector length this index accepts. */
  readonly dim: number;
  /** Number of documents held. */
  readonly size: number;
  /** Adds documents; an id already present is replaced. */
  add(docs: readonly RetrievalDoc[]): void;
  /** Removes documents by id; unknown ids are ignored. Returns how many were removed. */
  remove(ids: readonly string[]): number;
  /** True when the id is held. */
  has(id: string): boolean;
  /** Ranks documents for `query`, best first, at most `query.limit`. */
  search(query: RetrievalQuery): RetrievalHit[];
  /**
   * Rebuilds the learned semantic model now if it is stale (or not yet learned). Search does this
   * lazily only for namespaces up to `semantic.lazyRebuildLimit` documents (default 5000); call
   * it after a bulk load or at an idle moment to keep that work off the query path.
   */
  refresh(): void;
  /**
   * A consistent copy of everything the index holds: a header (small, JSON-able) and one byte
   * image. `restoreRetrievalIndex` turns it back into an index that answers exactly as this one.
   * Synchronous: at 100k documents it copies ~100 MB, so call it off the query path.
   */
  snapshot(): IndexSnapshot;
}

/** What is stored next to an index image, so a reader can check it before reading the bytes. */
export interface SnapshotHeader {
  /** `INDEX_FORMAT` of the writer. */
  format: number;
  /** The options the index was built with (canonical JSON); an index is only restored under the same. */
  options: string;
  /** Documents held. */
  documents: number;
  /** Scalars of the saved structures. */
  meta: Record<string, number>;
  layout: ImageLayout;
}

/** A saved index: see `RetrievalIndex.snapshot`. */
export interface IndexSnapshot {
  header: SnapshotHeader;
  bytes: Uint8Array;
}
