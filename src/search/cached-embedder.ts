import { createHash } from 'node:crypto';
import type { Embedder } from '../embeddings/types.js';
import type { Cache } from '../storage/types.js';

/** sha256 of a text, the key part that identifies it in the embedding cache and the vectors table. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Wraps an embedder with the LMDB cache keyed by (embedder id, sha256(text)), so each distinct
 * text is embedded once per vector space. Cached vectors are immutable, like every cache record.
 * A `cheap` embedder is returned as it is.
 */
export function withEmbeddingCache(embedder: Embedder, cache: Cache): Embedder {
  if (embedder.cheap) return embedder;
  const key = (text: string) => `emb:${embedder.id}:${textHash(text)}`;
  const version = `f32x${embedder.dim}`;
  return {
    id: embedder.id,
    dim: embedder.dim,
    async embed(texts) {
      const out: Array<Float32Array | undefined> = texts.map((t) => {
        const hit = cache.get<Uint8Array>(key(t), version);
        // Copied: the cached bytes need not be 4-byte aligned for a Float32Array view.
        return hit && hit.byteLength === embedder.dim * 4 ? new Float32Array(new Uint8Array(hit).buffer) : undefined;
      });
      const missing = out.flatMap((v, i) => (v ? [] : [i]));
      if (missing.length > 0) {
        const fresh = await embedder.embed(missing.map((i) => texts[i]!));
        missing.forEach((i, j) => {
          const v = fresh[j]!;
          out[i] = v;
          // Not awaited: LMDB resolves a put only after its commit reaches disk, and a cache write
          // must never slow a request (the vector is already in hand; the cache swallows errors).
          void cache.put(key(texts[i]!), v, version);
        });
      }
      return out as Float32Array[];
    },
  };
}
