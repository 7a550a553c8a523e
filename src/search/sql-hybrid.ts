import type { Embedder, EmbedderManager } from '../embeddings/types.js';
import type { Logger } from '../logger.js';
import type { MemoryKind } from '../memory/types.js';
import { DEFAULT_EVIDENCE_COSINE, reciprocalRankFusion } from '../retrieval/index.js';
import type { AnnRepo } from '../storage/ann-repo.js';
import type { EpisodeFilter, EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryFilter, MemoryRepo } from '../storage/memory-repo.js';
import { episodeText, memoryText } from './docs.js';
import { toFtsMatch } from './fts-match.js';
import { episodeHit, memoryHit } from './hits.js';
import { applyFloor, minScoreOf } from './relevance.js';
import type { MemoryQuery, SearchEngine, SearchHit } from './types.js';

/** Dependencies of the SQL-side hybrid search. */
export interface SqlHybridDeps {
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  ann: AnnRepo;
  embeddings: EmbedderManager;
  logger: Logger;
  /** Items embedded per type by the catch-up that runs before each query. Default 256. */
  catchUpBatch?: number;
  /** Candidates taken from each ranked list before fusion: max(this, 4 × limit). Default 50. */
  candidates?: number;
}

/**
 * Hybrid retrieval with no per-namespace state in the process, for many Cairn processes over one
 * remote libSQL database: candidates from FTS5 `bm25()` and from the DiskANN vector index
 * (`vector_top_k`, exact `vector_distance_cos` as fallback), filtered in SQL and fused by
 * reciprocal rank fusion (k = 60). Memories are embedded when written; items written elsewhere
 * (episodes on start and completion, other processes' writes, a change of embedder) are embedded
 * by a bounded catch-up before each query, which remembers only a change-sequence watermark.
 * It has no diversification to turn off.
 */
export function createSqlHybridSearch(deps: SqlHybridDeps): SearchEngine {
  const batch = deps.catchUpBatch ?? 256;
  const watermarks = new Map<string, number>();
  const running = new Map<string, Promise<number>>();

  async function embedAndPut(ns: string, embedder: Embedder, items: Array<{ id: string; type: 'memory' | 'episode'; text: string; seq?: number }>) {
    if (items.length === 0) return;
    const vectors = await embedder.embed(items.map((i) => i.text));
    await deps.ann.put(
      ns,
      embedder.id,
      items.map((it, j) => ({ itemId: it.id, itemType: it.type, vector: vectors[j]!, ...(it.seq !== undefined ? { seq: it.seq } : {}) })),
    );
  }

  async function catchUpType(ns: string, embedder: Embedder, type: 'memory' | 'episode'): Promise<number> {
    const key = `${ns}\u0000${embedder.id}\u0000${type}`;
    const from = watermarks.get(key) ?? 0;
    const hi = await deps.ann.maxSeq(ns, type);
    if (hi <= from) return 0;
    const stale = await deps.ann.stale(ns, embedder.id, embedder.dim, type, from, hi, batch);
    const items = [
      ...stale.memories.map((m) => ({ id: m.id, type: 'memory' as const, text: memoryText(m), seq: m.changeSeq })),
      ...stale.episodes.map((e) => ({ id: e.id, type: 'episode' as const, text: episodeText(e), seq: e.changeSeq })),
    ];
    await embedAndPut(ns, embedder, items);
    watermarks.set(key, items.length < batch ? hi : items[items.length - 1]!.seq);
    return items.length;
  }

  /** Embeds up to `catchUpBatch` items per type that have no current vector; returns how many. */
  async function catchUp(ns: string): Promise<number> {
    let p = running.get(ns);
    if (!p) {
      const embedder = deps.embeddings.active();
      p = (async () => (await catchUpType(ns, embedder, 'memory')) + (await catchUpType(ns, embedder, 'episode')))();
      running.set(ns, p);
      void p.finally(() => running.delete(ns)).catch(() => undefined);
    }
    return p;
  }

  return {
    name: 'sql-hybrid',
    // A failure is only logged: the write has committed, and the catch-up before the next query embeds what was missed.
    async indexWrite(ns, memories) {
      try {
        await embedAndPut(
          ns,
          deps.embeddings.active(),
          memories.map((m) => ({ id: m.id, type: 'memory' as const, text: memoryText(m) })),
        );
      } catch (err) {
        deps.logger.warn('embedding at write failed; the next query catches up', { ns, err: String(err) });
      }
    },
    async search(ns, q: MemoryQuery) {
      const match = toFtsMatch(q.query);
      if (!match) return [];
      const types: Array<'memory' | 'episode'> = [];
      if (q.scope.includes('memories')) types.push('memory');
      if (q.scope.includes('episodes')) types.push('episode');
      if (types.length === 0) return [];
      const n = Math.max(deps.candidates ?? 50, 4 * q.limit);
      const memoryFilter: MemoryFilter = {
        kinds: q.kinds as MemoryKind[] | undefined,
        tags: q.tags,
        since: q.since,
        until: q.until,
        includeHidden: q.includeSuperseded,
      };
      const episodeFilter: EpisodeFilter = { taskType: q.taskType, domain: q.domain, outcomeTypes: q.outcomes, tags: q.tags, since: q.since, until: q.until };

      await catchUp(ns);
      const embedder = deps.embeddings.active();
      const [vector] = await embedder.embed([q.query]);
      const [mems, eps, near] = await Promise.all([
        types.includes('memory') ? deps.memories.search(ns, match, memoryFilter, n) : [],
        types.includes('episode') ? deps.episodes.search(ns, match, episodeFilter, n) : [],
        vector ? deps.ann.topK(ns, embedder.id, vector, n, types, { memoryFilter, episodeFilter }) : { hits: [], method: 'exact' as const },
      ]);

      const bm25 = new Map<string, number>([...mems, ...eps].map((r) => [r.id, -r.bm25]));
      const cosine = new Map<string, number>(near.hits.map((h) => [h.itemId, 1 - h.distance]));
      const fused = reciprocalRankFusion([
        { keys: mems.map((m) => m.id), weight: 1 },
        { keys: eps.map((e) => e.id), weight: 1 },
        { keys: near.hits.map((h) => h.itemId), weight: 1 },
      ]);
      const top = [...fused].sort((a, b) => b[1] - a[1]).slice(0, q.limit);

      // Vector-only candidates are not in the FTS rows: load them (already filtered in SQL).
      const known = new Map<string, SearchHit>();
      for (const m of mems) known.set(m.id, memoryHit(m));
      for (const e of eps) known.set(e.id, episodeHit(e));
      const want = (type: 'memory' | 'episode') =>
        top.map(([id]) => id).filter((id) => !known.has(id) && near.hits.some((h) => h.itemId === id && h.itemType === type));
      const [moreMems, moreEps] = await Promise.all([deps.memories.getMany(ns, want('memory')), deps.episodes.getMany(ns, want('episode'))]);
      for (const m of moreMems) known.set(m.id, memoryHit(m));
      for (const e of moreEps) known.set(e.id, episodeHit(e));
      const ranked = top.flatMap(([id, rrf]) => {
        const base = known.get(id);
        return base ? [{ ...base, score: rrf, parts: { bm25: bm25.get(id) ?? 0, vector: cosine.get(id) ?? 0, rrf } }] : [];
      });
      // Evidence: a query word (an FTS5 row) or a vector as close as the hybrid engine requires.
      const close = bm25.size > 0 ? DEFAULT_EVIDENCE_COSINE.alone : DEFAULT_EVIDENCE_COSINE.unmatched;
      return applyFloor(ranked, minScoreOf(q), (h) => [
        ...(bm25.has(h.id) ? ['bm25' as const] : []),
        ...((cosine.get(h.id) ?? 0) >= close ? ['vector' as const] : []),
      ]);
    },
  };
}
