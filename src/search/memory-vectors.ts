import type { Embedder } from '../embeddings/types.js';
import type { VectorRepo } from '../storage/vector-repo.js';
import { textHash } from './cached-embedder.js';

const BATCH = 256;

/**
 * Vectors of memories in the active embedder's space: the stored vector when it was computed from
 * the same text, else a fresh one (through `embedder`, which caches by text). For the curator,
 * which compares memories with each other rather than with a query.
 */
export function createMemoryVectors(deps: { vectors: VectorRepo; embedder: () => Embedder }) {
  return async (ns: string, items: ReadonlyArray<{ id: string; content: string }>): Promise<Map<string, Float32Array>> => {
    const embedder = deps.embedder();
    const out = new Map<string, Float32Array>();
    if (items.length === 0) return out;
    const stored = await deps.vectors.get(
      ns,
      embedder.id,
      items.map((i) => i.id),
    );
    const todo = items.filter((it) => {
      const s = stored.get(it.id);
      if (s && s.textHash === textHash(it.content) && s.vector.length === embedder.dim) {
        out.set(it.id, s.vector);
        return false;
      }
      return true;
    });
    for (let i = 0; i < todo.length; i += BATCH) {
      const batch = todo.slice(i, i + BATCH);
      const vecs = await embedder.embed(batch.map((b) => b.content));
      batch.forEach((b, j) => {
        out.set(b.id, vecs[j]!);
      });
    }
    return out;
  };
}
