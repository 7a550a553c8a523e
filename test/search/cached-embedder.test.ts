import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHashingEmbedder } from '../../src/embeddings/hashing.js';
import type { Embedder } from '../../src/embeddings/types.js';
import { silentLogger } from '../../src/logger.js';
import { textHash, withEmbeddingCache } from '../../src/search/cached-embedder.js';
import { createLmdbCache } from '../../src/storage/lmdb-cache.js';
import type { Cache } from '../../src/storage/types.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

let cache: Cache | undefined;
let dir: string | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await cache?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  cache = undefined;
  server = undefined;
  dir = undefined;
});

/** A model-like embedder that counts the texts it embeds. */
function counting(cheap?: boolean): Embedder & { embedded: string[] } {
  const embedded: string[] = [];
  return {
    id: cheap ? 'cheap-test' : 'model-test',
    dim: 3,
    ...(cheap === undefined ? {} : { cheap }),
    embedded,
    async embed(texts) {
      embedded.push(...texts);
      return texts.map((t) => Float32Array.of(t.length, 1, 0));
    },
  };
}

describe('the embedding cache', () => {
  it('embeds each text once per vector space, and keeps the vectors in LMDB', async () => {
    dir = tempHome('cairn-embcache-');
    cache = createLmdbCache({ dir, logger: silentLogger });
    await cache.ready();
    const inner = counting();
    const cached = withEmbeddingCache(inner, cache);
    expect(await cached.embed(['alpha', 'beta'])).toEqual([Float32Array.of(5, 1, 0), Float32Array.of(4, 1, 0)]);
    // Puts are not awaited by the embedder; wait until they are committed.
    await vi.waitFor(() => expect(cache?.get(`emb:model-test:${textHash('beta')}`, 'f32x3')).toBeDefined());
    expect(await cached.embed(['beta', 'gamma!'])).toEqual([Float32Array.of(4, 1, 0), Float32Array.of(6, 1, 0)]);
    expect(inner.embedded).toEqual(['alpha', 'beta', 'gamma!']);
  });

  it('never caches a cheap embedder: the hashing embedder is used as it is', async () => {
    dir = tempHome('cairn-embcache-');
    cache = createLmdbCache({ dir, logger: silentLogger });
    await cache.ready();
    const inner = counting(true);
    const cached = withEmbeddingCache(inner, cache);
    expect(cached).toBe(inner);
    const hashing = createHashingEmbedder();
    expect(withEmbeddingCache(hashing, cache)).toBe(hashing);
  });

  it('a server on the hashing embedder puts no vectors in its cache', async () => {
    server = await startTestServer();
    const content = 'the blue heron nests by the old mill';
    await server.call('remember', { content });
    await server.call('query_memory', { query: 'heron' });
    const embedder = createHashingEmbedder();
    expect(server.app.cache.get(`emb:${embedder.id}:${textHash(content)}`, `f32x${embedder.dim}`)).toBeUndefined();
    expect((await server.call('query_memory', { query: 'where does the heron nest?' })).results[0]).toMatchObject({ content });
  });
});
