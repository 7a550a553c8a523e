import type { Embedder } from '../embeddings/types.js';
import type { Logger } from '../logger.js';
import { createRetrievalIndex, type RetrievalDoc, type RetrievalIndex, type RetrievalOptions } from '../retrieval/index.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { VectorRepo } from '../storage/vector-repo.js';
import { textHash } from './cached-embedder.js';
import { episodeDoc, episodeText, memoryDoc, memoryText } from './docs.js';

const PAGE = 2000;
const EMBED_BATCH = 256;

/** Storage the index is kept in step with. */
export interface IndexSources {
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  vectors: VectorRepo;
  clock: { now(): number };
  logger: Logger;
}

/** How far an index has read the namespace's change logs: the last `change_seq` applied of each. */
export interface IndexPosition {
  memories: number;
  episodes: number;
}

/**
 * Where a namespace index starts: an index already holding the namespace up to `position`
 * (a saved copy, in the same embedder's space), so catch-up reads only later changes.
 */
export interface IndexStart {
  index: RetrievalIndex;
  position: IndexPosition;
}

/** One namespace's in-process hybrid index, in one embedder's vector space. */
export interface NamespaceIndex {
  readonly ns: string;
  readonly index: RetrievalIndex;
  /** The embedder (with cache) whose space this index's vectors live in. */
  readonly embedder: Embedder;
  /**
   * How far `index` has read; saved with it, it is the `IndexStart` a later process resumes from.
   * Never ahead of `index` (a change is applied before the position moves past it).
   */
  position(): IndexPosition;
  /** Change rows applied since the index was created (from empty or from its start). */
  applied(): number;
  /**
   * Applies every change committed since the last call — by this process or any other sharing
   * the database — embedding new or changed texts. Serialised per namespace.
   */
  catchUp(onProgress?: (done: number) => void): Promise<void>;
}

/**
 * Creates a namespace index, empty unless `start` is given; the first `catchUp()` loads
 * everything after the start position. Vectors come from the `embeddings` table when stored for
 * this embedder and this exact text, and are otherwise computed and stored, so the database stays
 * the source of truth for vectors too.
 */
export function createNamespaceIndex(
  ns: string,
  embedder: Embedder,
  src: IndexSources,
  options: Partial<RetrievalOptions> = {},
  start?: IndexStart,
): NamespaceIndex {
  const index = start?.index ?? createRetrievalIndex({ ...options, dim: embedder.dim });
  let memSeq = start?.position.memories ?? 0;
  let epSeq = start?.position.episodes ?? 0;
  let applied = 0;
  let chain: Promise<void> = Promise.resolve();

  /**
   * Finds or computes vectors for (id, type, text) items, storing new ones. Read page by page, by
   * primary key: as fast as one sequential pass over the namespace's vectors (measured at 100k),
   * without holding them all at once (that pass left ~200 MB of freed heap in the process).
   */
  async function vectorsFor(items: Array<{ id: string; type: string; text: string }>): Promise<Map<string, Float32Array>> {
    const stored = await src.vectors.get(
      ns,
      embedder.id,
      items.map((i) => i.id),
    );
    const out = new Map<string, Float32Array>();
    const todo: Array<{ id: string; type: string; text: string; hash: string }> = [];
    for (const it of items) {
      const hash = textHash(it.text);
      const s = stored.get(it.id);
      if (s && s.textHash === hash && s.vector.length === embedder.dim) out.set(it.id, s.vector);
      else todo.push({ ...it, hash });
    }
    for (let i = 0; i < todo.length; i += EMBED_BATCH) {
      const batch = todo.slice(i, i + EMBED_BATCH);
      const vecs = await embedder.embed(batch.map((b) => b.text));
      for (const [j, b] of batch.entries()) out.set(b.id, vecs[j]!);
      await src.vectors.put(
        ns,
        embedder.id,
        batch.map((b, j) => ({ itemId: b.id, itemType: b.type, textHash: b.hash, vector: vecs[j]! })),
        src.clock.now(),
      );
    }
    return out;
  }

  async function catchUpMemories(onProgress?: (n: number) => void): Promise<number> {
    let n = 0;
    for (;;) {
      const rows = await src.memories.changedSince(ns, memSeq, PAGE);
      if (rows.length === 0) return n;
      const live = rows.filter((r) => r.deletedAt === null);
      const gone = rows.filter((r) => r.deletedAt !== null).map((r) => r.id);
      const vecs = await vectorsFor(live.map((r) => ({ id: r.id, type: 'memory', text: memoryText(r) })));
      index.remove(gone);
      index.add(live.map((r) => memoryDoc(r, vecs.get(r.id))));
      memSeq = rows.at(-1)!.changeSeq;
      applied += rows.length;
      n += rows.length;
      onProgress?.(n);
      if (rows.length < PAGE) return n;
    }
  }

  async function catchUpEpisodes(): Promise<void> {
    for (;;) {
      const rows = await src.episodes.changedSince(ns, epSeq, PAGE);
      if (rows.length === 0) return;
      const vecs = await vectorsFor(rows.map((r) => ({ id: r.id, type: 'episode', text: episodeText(r) })));
      index.add(rows.map((r): RetrievalDoc => episodeDoc(r, vecs.get(r.id))));
      epSeq = rows.at(-1)!.changeSeq;
      applied += rows.length;
      if (rows.length < PAGE) return;
    }
  }

  return {
    ns,
    index,
    embedder,
    position: () => ({ memories: memSeq, episodes: epSeq }),
    applied: () => applied,
    catchUp(onProgress) {
      const run = chain.then(async () => {
        const n = await catchUpMemories(onProgress);
        await catchUpEpisodes();
        if (n > 500) index.refresh();
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
