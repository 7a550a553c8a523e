import type { Embedder, EmbedderManager } from '../embeddings/types.js';
import type { Logger } from '../logger.js';
import type { RetrievalFilters, RetrievalHit, RetrievalOptions } from '../retrieval/index.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { Cache } from '../storage/types.js';
import type { VectorRepo } from '../storage/vector-repo.js';
import { textHash, withEmbeddingCache } from './cached-embedder.js';
import { memoryText } from './docs.js';
import { episodeHit, memoryHit } from './hits.js';
import { createIndexSnapshots } from './index-snapshots.js';
import { createNamespaceIndex, type IndexPosition, type NamespaceIndex } from './namespace-index.js';
import { minScoreOf } from './relevance.js';
import { createSnapshotKeeper, type SnapshotKeeperOptions } from './snapshot-keeper.js';
import type { SearchEngine, SearchHit } from './types.js';

/** Dependencies of the hybrid search. */
export interface HybridDeps {
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  vectors: VectorRepo;
  embeddings: EmbedderManager;
  cache: Cache;
  clock: { now(): number };
  logger: Logger;
  /** Tuning of each namespace's retrieval index. Default: the retrieval library's defaults. */
  options?: Partial<RetrievalOptions>;
  /** Folder of the index snapshots (index-snapshots.ts). */
  indexDir: string;
  /** Names the database, so a saved index is only loaded over the database it was made from. */
  databaseId: () => Promise<string>;
  /** When indexes are saved (see snapshot-keeper.ts). Default: after 1000 changes, 2 s later. */
  snapshots?: Pick<SnapshotKeeperOptions, 'saveAfterChanges' | 'saveDelayMs'>;
}

/**
 * `query_memory` over an in-process hybrid index per namespace (BM25F + exact vectors + learned
 * co-occurrence semantics, fused (z-scores by default, RRF as an option), adjusted and diversified — see src/retrieval). Each query
 * first catches the index up with every committed change, so several processes sharing a
 * database see each other's writes. An index is saved as a snapshot file (index-snapshots.ts) so
 * the next process loads it and catches up instead of rebuilding. When the active embedder changes
 * (the model finished loading), each loaded namespace is rebuilt (or loaded) in the new space in
 * the background and swapped in whole: vector spaces are never mixed.
 */
export function createHybridSearch(deps: HybridDeps): SearchEngine {
  const loaded = new Map<string, Promise<NamespaceIndex>>();
  const cached = new Map<string, Embedder>();
  const uncached = new Map<string, Embedder>();
  const embedderFor = (e: Embedder) => {
    let c = cached.get(e.id);
    if (!c) {
      c = withEmbeddingCache(e, deps.cache);
      cached.set(e.id, c);
      uncached.set(e.id, e);
    }
    return c;
  };
  const ready = new Map<string, NamespaceIndex>();
  const snapshots = createIndexSnapshots({ dir: deps.indexDir, logger: deps.logger, clock: deps.clock });
  let database: Promise<string> | undefined;
  const databaseId = () =>
    (database ??= deps.databaseId().catch((err: unknown) => {
      database = undefined;
      throw err;
    }));
  const keeper = createSnapshotKeeper({ snapshots, logger: deps.logger, databaseId, ...deps.snapshots });
  // A snapshot fits the database while the last change it applied is still there; in a copy
  // restored from before the snapshot was taken it is not.
  const reaches = async (ns: string, p: IndexPosition) =>
    (p.memories === 0 || (await deps.memories.changedSince(ns, p.memories - 1, 1)).length > 0) &&
    (p.episodes === 0 || (await deps.episodes.changedSince(ns, p.episodes - 1, 1)).length > 0);
  // The one place a namespace index comes into being: from its snapshot in the active embedder's
  // space when there is a usable one (then only later changes are read), else from the database.
  const build = async (ns: string, onProgress?: (n: number) => void, fresh = false) => {
    const t0 = performance.now();
    const embedder = embedderFor(deps.embeddings.active());
    const space = { ns, database: await databaseId(), embedder: embedder.id };
    const saved = fresh ? null : await snapshots.load(space, { ...deps.options, dim: embedder.dim }, (p) => reaches(ns, p));
    const idx = createNamespaceIndex(ns, embedder, deps, deps.options, saved ?? undefined);
    await idx.catchUp(onProgress);
    // A loaded semantic model is as fresh as its last save made it (snapshot-keeper.ts).
    if (!saved) idx.index.refresh();
    keeper.track(
      idx,
      saved ? 'snapshot' : 'rebuilt',
      performance.now() - t0,
      saved && { position: saved.position, bytes: saved.bytes, savedAt: saved.savedAt },
    );
    return idx;
  };
  const install = (ns: string, idx: NamespaceIndex) => {
    loaded.set(ns, Promise.resolve(idx));
    ready.set(ns, idx);
  };
  const get = (ns: string): Promise<NamespaceIndex> => {
    let p = loaded.get(ns);
    if (!p) {
      p = build(ns);
      loaded.set(ns, p);
      p.then(
        (idx) => ready.set(ns, idx),
        () => loaded.delete(ns),
      );
    }
    return p;
  };

  deps.embeddings.onChange((next) => {
    for (const ns of [...loaded.keys()]) {
      const t0 = deps.clock.now();
      build(ns).then(
        (fresh) => {
          install(ns, fresh);
          deps.logger.info('retrieval index rebuilt for new embedder', { ns, embedder: next.id, docs: fresh.index.size, ms: deps.clock.now() - t0 });
        },
        (err) => deps.logger.error('retrieval index rebuild failed; keeping the previous vector space', { ns, err }),
      );
    }
  });

  /** Turns ranked ids into full results (ids are UUIDs, unique across memories and episodes). */
  async function hydrate(ns: string, hits: RetrievalHit[], types: ReadonlyArray<'memory' | 'episode'>): Promise<SearchHit[]> {
    const ids = hits.map((h) => h.id);
    const [mems, eps] = await Promise.all([
      types.includes('memory') ? deps.memories.getMany(ns, ids) : [],
      types.includes('episode') ? deps.episodes.getMany(ns, ids) : [],
    ]);
    const byId = new Map<string, SearchHit>();
    for (const m of mems) byId.set(m.id, memoryHit(m));
    for (const e of eps) byId.set(e.id, episodeHit(e));
    return hits.flatMap((h) => {
      const base = byId.get(h.id);
      return base ? [{ ...base, score: h.score, parts: { ...h.parts } }] : [];
    });
  }

  return {
    name: 'hybrid',
    async search(ns, q, now) {
      // A query with no letters or digits matches nothing; ranking everything by zero would mislead.
      if (!/[\p{L}\p{N}]/u.test(q.query)) return [];
      const types: Array<'memory' | 'episode'> = [];
      if (q.scope.includes('memories')) types.push('memory');
      if (q.scope.includes('episodes')) types.push('episode');
      if (types.length === 0) return [];
      const idx = await get(ns);
      await idx.catchUp();
      keeper.caughtUp(idx);
      // Queries skip the embedding cache: it is for stored texts, and a query is rarely repeated.
      const [vector] = await (uncached.get(idx.embedder.id) ?? idx.embedder).embed([q.query]);
      const outcomes = q.outcomes ?? [];
      const filters: RetrievalFilters = {
        types,
        ...(q.kinds ? { kinds: q.kinds } : {}),
        ...(q.tags ? { tags: q.tags } : {}),
        ...(q.taskType ? { taskType: q.taskType } : {}),
        ...(q.domain ? { domain: q.domain } : {}),
        ...(outcomes.length === 1 ? { outcome: outcomes[0]! } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        ...(q.includeSuperseded ? { includeHidden: true } : {}),
      };
      const over = outcomes.length > 1 ? 4 : 1;
      const raw = idx.index.search({
        text: q.query,
        ...(vector ? { vector } : {}),
        limit: q.limit * over,
        filters,
        now,
        minScore: minScoreOf(q),
        ...(q.diversify === false ? { diversify: false } : {}),
      });
      const hits = await hydrate(ns, raw, types);
      return outcomes.length > 1 ? hits.filter((h) => h.type !== 'episode' || (h.outcome != null && outcomes.includes(h.outcome))).slice(0, q.limit) : hits;
    },
    async indexWrite(ns, memories) {
      const idx = loaded.get(ns);
      const embedder = idx ? (await idx).embedder : embedderFor(deps.embeddings.active());
      const texts = memories.map(memoryText);
      const vecs = await embedder.embed(texts);
      await deps.vectors.put(
        ns,
        embedder.id,
        memories.map((m, j) => ({ itemId: m.id, itemType: 'memory', textHash: textHash(texts[j]!), vector: vecs[j]! })),
        deps.clock.now(),
      );
    },
    async reindex(ns, onProgress) {
      const fresh = await build(ns, onProgress, true);
      install(ns, fresh);
      await deps.vectors.prune(ns, fresh.embedder.id);
      return { items: fresh.index.size, embedder: fresh.embedder.id };
    },
    stats() {
      let documents = 0;
      for (const idx of ready.values()) documents += idx.index.size;
      return { namespaces: ready.size, documents, embedder: deps.embeddings.active().id };
    },
    indexStats: (ns) => keeper.stats(ns),
    close: () => keeper.flush(),
  };
}
