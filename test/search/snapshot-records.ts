import { join } from 'node:path';
import { open } from 'lmdb';
import { silentLogger } from '../../src/logger.js';
import { createLmdbCache } from '../../src/storage/lmdb-cache.js';
import type { Cache } from '../../src/storage/types.js';

/** A catalog entry as index-snapshots.ts writes it. */
export interface CatalogEntry {
  key: string;
  database: string;
  embedder: string;
  format: number;
  position: { memories: number; episodes: number };
  chunks: number;
  bytes: number;
  savedAt: number;
  state: 'writing' | 'ready';
}

/**
 * Opens the cache of a stopped server's home through the cache's own interface, so the records
 * the tests read and damage are exactly the ones a server reads.
 */
export async function withCache<T>(home: string, fn: (cache: Cache) => T | Promise<T>): Promise<T> {
  const cache = createLmdbCache({ dir: join(home, 'cache'), logger: silentLogger });
  try {
    return await fn(cache);
  } finally {
    await cache.close();
  }
}

/** The snapshot catalog of a namespace. */
export function catalog(cache: Cache, ns = 'default'): CatalogEntry[] {
  return cache.get<{ entries: CatalogEntry[] }>(`idx:${ns}`)?.entries ?? [];
}

/** Every key of the cache file that belongs to index snapshots (catalogs, manifests, chunks). */
export function snapshotKeys(home: string): string[] {
  const env = open({ path: join(home, 'cache', 'cache.mdb'), keyEncoding: 'binary', readOnly: true });
  try {
    return [...env.getKeys()].map((k) => Buffer.from(k as Uint8Array).toString('utf8')).filter((k) => k.includes('idx:'));
  } finally {
    void env.close();
  }
}
