/**
 * Search behind `query_memory`: every engine implements `SearchEngine` (./types.ts) and is built
 * here, the only place that switches on `CAIRN_SEARCH`. README.md in this folder walks a query from the
 * tool to the reply.
 */
import type { Clock } from '../clock.js';
import type { EmbedderManager } from '../embeddings/types.js';
import type { Logger } from '../logger.js';
import { createAnnRepo } from '../storage/ann-repo.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import { databaseId } from '../storage/migrate.js';
import type { Cache, Db } from '../storage/types.js';
import { createVectorRepo } from '../storage/vector-repo.js';
import { withNamespaces } from './across.js';
import { createFtsSearch } from './fts.js';
import { createHybridSearch } from './hybrid.js';
import { createSqlHybridSearch } from './sql-hybrid.js';
import type { SearchEngine, SearchKind } from './types.js';
import { type PatternSearcher, withPatternSearch } from './with-patterns.js';

/** FTS5 MATCH expression for free text (the pattern service searches with it too). */
export { toFtsMatch } from './fts-match.js';
/** A memory as a result, as every engine returns it (listings use it too). */
export { memoryHit } from './hits.js';
/** The relevance floor's default. */
export { DEFAULT_MIN_SCORE } from './relevance.js';
/** The engine interface, queries, hits and scopes. */
export type * from './types.js';
export { SCOPES } from './types.js';

/** What the engines are built from; each takes the parts it needs. */
export interface SearchDeps {
  /** The database vectors are kept in (the `embeddings` table for `hybrid`, `vec_<dim>` for `sql`). */
  db: Db;
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  /** Hands out the active embedder (hashing until the model has loaded). */
  embeddings: EmbedderManager;
  /** LMDB cache of embeddings by (embedder, text), used by `hybrid`. */
  cache: Cache;
  /** Folder of the namespace index snapshots `hybrid` saves (index-snapshots.ts). */
  indexDir: string;
  /** Pattern full-text search, merged into every engine's results for scope `patterns`. */
  patterns: PatternSearcher;
  clock: Clock;
  logger: Logger;
}

/** One line per engine: adding an engine is its file, its line here and a call of the shared test suite. */
const ENGINES: Record<SearchKind, (deps: SearchDeps) => SearchEngine> = {
  hybrid: (d) => createHybridSearch({ ...d, vectors: createVectorRepo(d.db), databaseId: () => databaseId(d.db) }),
  fts: (d) => createFtsSearch(d),
  sql: (d) => createSqlHybridSearch({ ...d, ann: createAnnRepo(d.db, { logger: d.logger }) }),
};

/**
 * Builds the engine `CAIRN_SEARCH` names — `hybrid` (default: in-process BM25F + vectors +
 * learned semantics), `fts` (SQLite FTS5 BM25 only) or `sql` (FTS5 + libSQL DiskANN, nothing kept
 * per namespace) — wrapped so that scope `patterns` also searches learned patterns and a query
 * can read several namespaces (`alsoIn`).
 */
export function createSearchEngine(kind: SearchKind, deps: SearchDeps): SearchEngine {
  return withNamespaces(withPatternSearch(ENGINES[kind](deps), deps.patterns));
}
