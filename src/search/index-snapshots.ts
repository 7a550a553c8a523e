import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Logger } from '../logger.js';
import {
  createImageAssembler,
  INDEX_FORMAT,
  restoreRetrievalIndex,
  type IndexSnapshot,
  type RetrievalIndex,
  type RetrievalOptions,
  type SnapshotHeader,
} from '../retrieval/index.js';
import type { Cache } from '../storage/types.js';
import type { IndexPosition } from './namespace-index.js';

/** A namespace index read back from its snapshot. */
export interface SavedIndex {
  index: RetrievalIndex;
  /** The change sequences the snapshot covers: catch-up resumes after them. */
  position: IndexPosition;
  bytes: number;
  /** When it was saved (epoch ms). */
  savedAt: number;
}

/** What a save wrote. */
export interface SaveResult {
  position: IndexPosition;
  bytes: number;
  savedAt: number;
}

/**
 * Snapshots of namespace indexes in the LMDB cache. Each snapshot is immutable — keyed by
 * namespace, embedder id, the change sequences it covers and a random tag — and stored as chunks
 * of at most `chunkBytes`, each with its CRC-32 in the snapshot's manifest. A per-namespace
 * catalog names the snapshots: after a save, the older snapshot of the same embedder, snapshots
 * of a format this version does not read, and all but the `keepEmbedders` most recent embedders
 * are deleted. A snapshot that is missing a chunk, fails a checksum or does not restore is deleted
 * and reported as absent: the caller rebuilds, never fails.
 */
export interface IndexSnapshots {
  /** The newest usable snapshot of `ns` in `embedder`'s space, restored under `options`; null when there is none. */
  load(ns: string, embedder: string, options: RetrievalOptions): Promise<SavedIndex | null>;
  /** Stores `snapshot` (taken at `position`) and prunes what it supersedes. */
  save(ns: string, embedder: string, snapshot: IndexSnapshot, position: IndexPosition): Promise<SaveResult>;
}

/** Options of {@link createIndexSnapshots}. */
export interface IndexSnapshotOptions {
  cache: Pick<Cache, 'get' | 'put' | 'remove'>;
  logger: Logger;
  clock: { now(): number };
  /** Largest cache value written. Default 4 MiB (well inside lmdb-js's reusable read buffers). */
  chunkBytes?: number;
  /** Embedders whose latest snapshot is kept per namespace. Default 2 (the model and the hashing fallback). */
  keepEmbedders?: number;
  /** A snapshot still being written after this long was abandoned by its writer. Default 10 minutes. */
  abandonedAfterMs?: number;
}

interface Entry {
  key: string;
  embedder: string;
  format: number;
  position: IndexPosition;
  chunks: number;
  bytes: number;
  savedAt: number;
  state: 'writing' | 'ready';
}

interface Manifest {
  header: SnapshotHeader;
  chunkBytes: number;
  crcs: number[];
}

const isPosition = (p: unknown): p is IndexPosition =>
  typeof p === 'object' && p !== null && Number.isInteger((p as IndexPosition).memories) && Number.isInteger((p as IndexPosition).episodes);
const isEntry = (e: unknown): e is Entry => {
  const x = e as Entry;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.key === 'string' &&
    typeof x.embedder === 'string' &&
    Number.isInteger(x.chunks) &&
    isPosition(x.position) &&
    (x.state === 'writing' || x.state === 'ready')
  );
};
const CHUNKS_PER_COMMIT = 8;

/** Newer first: further in the change logs, then saved later. */
const newer = (a: Entry, b: Entry) => b.position.memories - a.position.memories || b.position.episodes - a.position.episodes || b.savedAt - a.savedAt;

/** Creates the snapshot store over `cache`. */
export function createIndexSnapshots(opts: IndexSnapshotOptions): IndexSnapshots {
  const { cache, logger, clock } = opts;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  const keepEmbedders = opts.keepEmbedders ?? 2;
  const abandonedAfter = opts.abandonedAfterMs ?? 10 * 60_000;
  const catalogKey = (ns: string) => `idx:${encodeURIComponent(ns)}`;
  const chunkKey = (e: Entry, i: number) => `${e.key}:${i}`;
  const manifestKey = (e: Entry) => `${e.key}:h`;

  const readCatalog = (ns: string): Entry[] => {
    const raw = cache.get<{ entries?: unknown }>(catalogKey(ns));
    return Array.isArray(raw?.entries) ? raw.entries.filter(isEntry) : [];
  };
  // Read-modify-write in one turn of the event loop; two processes saving the same namespace at
  // the same moment can still lose an entry (its snapshot is then never loaded, only orphaned).
  const updateCatalog = async (ns: string, change: (entries: Entry[]) => Entry[]) => {
    await cache.put(catalogKey(ns), { entries: change(readCatalog(ns)) });
  };
  const deleteRecords = async (entries: readonly Entry[]) => {
    const removals: Array<Promise<void>> = [];
    for (const e of entries) {
      removals.push(cache.remove(manifestKey(e)));
      for (let i = 0; i < e.chunks; i++) removals.push(cache.remove(chunkKey(e, i)));
    }
    await Promise.all(removals);
  };

  async function read(entry: Entry, options: RetrievalOptions): Promise<RetrievalIndex> {
    const manifest = cache.get<Manifest>(manifestKey(entry));
    if (!manifest?.header?.layout || !Array.isArray(manifest.crcs) || manifest.crcs.length !== entry.chunks || !(manifest.chunkBytes > 0)) {
      throw new Error('manifest missing or malformed');
    }
    const assembler = createImageAssembler(manifest.header.layout);
    for (let i = 0; i < entry.chunks; i++) {
      const chunk = cache.get<Uint8Array>(chunkKey(entry, i));
      if (!(chunk instanceof Uint8Array)) throw new Error(`chunk ${i} missing`);
      if (crc32(chunk) !== manifest.crcs[i]) throw new Error(`chunk ${i} fails its checksum`);
      assembler.write(i * manifest.chunkBytes, chunk);
      // Let other requests through between chunks (a large index is tens of chunks).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return restoreRetrievalIndex(options, manifest.header, assembler.finish());
  }

  return {
    async load(ns, embedder, options) {
      const entry = readCatalog(ns)
        .filter((e) => e.state === 'ready' && e.embedder === embedder && e.format === INDEX_FORMAT)
        .sort(newer)[0];
      if (!entry) return null;
      try {
        return { index: await read(entry, options), position: entry.position, bytes: entry.bytes, savedAt: entry.savedAt };
      } catch (err) {
        logger.warn('index snapshot unusable; the index will be rebuilt', { ns, embedder, key: entry.key, err: String(err) });
        await updateCatalog(ns, (entries) => entries.filter((e) => e.key !== entry.key));
        await deleteRecords([entry]);
        return null;
      }
    },

    async save(ns, embedder, snapshot, position) {
      const { bytes } = snapshot;
      const savedAt = clock.now();
      const entry: Entry = {
        key: `idx:${encodeURIComponent(ns)}:${encodeURIComponent(embedder)}:${position.memories}.${position.episodes}:${randomBytes(4).toString('hex')}`,
        embedder,
        format: snapshot.header.format,
        position,
        chunks: Math.ceil(bytes.length / chunkBytes),
        bytes: bytes.length,
        savedAt,
        state: 'writing',
      };
      // Listed before its chunks are written, so a writer that dies midway leaves nothing unnamed.
      await updateCatalog(ns, (entries) => [...entries, entry]);
      const crcs: number[] = [];
      // A few chunks per commit: one commit each would wait on the disk tens of times at 100k
      // documents, one for all would hold a second copy of the whole image until it lands.
      for (let first = 0; first < entry.chunks; first += CHUNKS_PER_COMMIT) {
        const writes: Array<Promise<void>> = [];
        for (let i = first; i < Math.min(entry.chunks, first + CHUNKS_PER_COMMIT); i++) {
          const piece = bytes.subarray(i * chunkBytes, Math.min(bytes.length, (i + 1) * chunkBytes));
          crcs.push(crc32(piece));
          writes.push(cache.put(chunkKey(entry, i), Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)));
        }
        await Promise.all(writes);
      }
      await cache.put(manifestKey(entry), { header: snapshot.header, chunkBytes, crcs } satisfies Manifest);
      let victims: Entry[] = [];
      await updateCatalog(ns, (entries) => {
        const now = clock.now();
        const ready = entries.map((e) => (e.key === entry.key ? { ...e, state: 'ready' as const } : e));
        const keep = new Set<string>();
        const embedders: string[] = [];
        for (const e of [...ready].filter((x) => x.state === 'ready' && x.format === INDEX_FORMAT).sort((a, b) => b.savedAt - a.savedAt)) {
          if (embedders.includes(e.embedder)) continue;
          if (embedders.length >= keepEmbedders) break;
          embedders.push(e.embedder);
        }
        for (const name of embedders) {
          const best = ready.filter((e) => e.state === 'ready' && e.embedder === name && e.format === INDEX_FORMAT).sort(newer)[0];
          if (best) keep.add(best.key);
        }
        for (const e of ready) if (e.state === 'writing' && e.key !== entry.key && now - e.savedAt < abandonedAfter) keep.add(e.key);
        victims = ready.filter((e) => !keep.has(e.key));
        return ready.filter((e) => keep.has(e.key));
      });
      await deleteRecords(victims);
      logger.debug('index snapshot saved', { ns, embedder, position, bytes: bytes.length, chunks: entry.chunks, pruned: victims.length });
      return { position, bytes: bytes.length, savedAt };
    },
  };
}
