import type { MemoryRecord } from '../memory/types.js';
import type { ProgressFn } from '../progress.js';

/** Where `query_memory` looks. */
export const SCOPES = ['memories', 'episodes', 'patterns'] as const;
export type Scope = (typeof SCOPES)[number];

/** The engines `CAIRN_SEARCH` can name; `createSearchEngine` builds each one. */
export type SearchKind = 'hybrid' | 'fts' | 'sql';

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
  /**
   * Relevance floor, 0..1: a hit's relevance is its score as a share of the best hit's, and 0 when
   * it has no evidence of its own (none of the query's words, no close vector match); hits below
   * the floor are not returned, so a query about nothing stored returns nothing. 0 keeps every
   * hit. Default `DEFAULT_MIN_SCORE` (0.2, relevance.ts).
   */
  minScore?: number;
  /** False turns diversification (MMR) off: results in relevance order. Default true. */
  diversify?: boolean;
  /** Also return superseded and merged memories (never forgotten ones). Default false. */
  includeSuperseded?: boolean;
  /**
   * Namespaces read besides the one searched (a session's global namespace beside its project's);
   * their hits are merged by rank. Default none.
   */
  alsoIn?: readonly string[];
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
  /** Set on a superseded memory (returned only with `includeSuperseded`): the memory that corrects it. */
  supersededBy?: string;
  /** Set on a merged memory (returned only with `includeSuperseded`): its canonical memory. */
  mergedInto?: string;
  parts: Record<string, number>;
  /** The namespace the hit lives in (set by the search layer). */
  namespace?: string;
}

/** What `reindex` did. */
export interface ReindexResult {
  /** Items now indexed in the namespace. */
  items: number;
  /** Id of the embedder whose vectors they now carry. */
  embedder: string;
}

/** What an engine holds in this process, for operators. */
export interface SearchStats {
  /** Namespaces with an index loaded. */
  namespaces: number;
  /** Documents held across those indexes. */
  documents: number;
  /** Embedder queries are answered with, or null for an engine without vectors. */
  embedder: string | null;
}

/** How the index of one namespace came to be in this process, and what of it is saved. */
export interface IndexStats {
  /** `snapshot`: loaded from its saved copy, then caught up; `rebuilt`: read from the database. */
  source: 'snapshot' | 'rebuilt';
  documents: number;
  /** The embedder whose vector space the index is in. */
  embedder: string;
  /** Time from first use to ready (load or build, and catch-up), ms. */
  loadMs: number;
  /** How far the index has read the change logs. */
  position: { memories: number; episodes: number };
  /** Change rows applied since it was loaded or built from empty. */
  caughtUp: number;
  /** The latest snapshot this process loaded or saved, or null. */
  saved: { position: { memories: number; episodes: number }; bytes: number; savedAt: number } | null;
}

/**
 * Answers `query_memory` over memories and episodes of a namespace. `search` is the whole
 * contract; the optional members are capabilities an engine has or has not, and a caller checks
 * for them (`engine.reindex?.(ns)`) instead of asking which engine it holds.
 */
export interface SearchEngine {
  /** Reported to clients as the `engine` of each reply (e.g. `hybrid+patterns`). */
  readonly name: string;

  /**
   * Ranked hits, best first, at most `q.limit`, every filter of `q` applied. Superseded and merged
   * memories only with `q.includeSuperseded`; forgotten ones never. A query with no letters or
   * digits finds nothing. `now` (epoch ms) is the clock time recency is measured from.
   */
  search(ns: string, q: MemoryQuery, now: number): Promise<SearchHit[]>;

  /**
   * Told about memories the moment their write commits (`remember`, a restore), so an engine
   * that keeps vectors can embed them before the next query needs them. Awaited by the write;
   * an engine that also catches up before each query may log a failure here instead of throwing.
   * Absent: the engine reads everything at query time.
   */
  indexWrite?(ns: string, memories: readonly MemoryRecord[]): Promise<void>;

  /**
   * Recomputes every vector of `ns` with the active embedder and rebuilds what the engine keeps,
   * reporting items processed so far through `onProgress` (`cairn reindex`). Absent: the engine
   * has nothing to rebuild on demand (it keeps no index, or brings its vectors up to date itself).
   */
  reindex?(ns: string, onProgress?: ProgressFn): Promise<ReindexResult>;

  /** What the engine holds in this process. Absent: it holds nothing per namespace. */
  stats?(): SearchStats;

  /** How the index of `ns` was made and what is saved of it; null until it is first used. */
  indexStats?(ns: string): IndexStats | null;

  /** Finishes background work (a due snapshot is saved) before the cache closes. */
  close?(): Promise<void>;
}
