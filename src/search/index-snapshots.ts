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
 * Which index a snapshot is of: a namespace of one database (`databaseId` in storage/migrate.ts;
 * change sequences mean nothing in another) in one embedder's vector space.
 */
export interface SnapshotSpace {
  ns: string;
  database: string;
  embedder: string;
}

/**
 * Snapshots of namespace indexes in the LMDB cache. Each snapshot is immutable — keyed by
 * namespace, database, embedder id, the change sequences it covers and a random tag — and stored
 * as chunks of at most `chunkBytes`, each with its CRC-32 in the snapshot's manifest. A
 * per-namespace catalog names the snapshots: after a save, the older snapshot of the same space,
 * snapshots of a format this version does not read, and all but the `keepSpaces` most recently
 * saved spaces are deleted. A snapshot that is missing a chunk, fails a checksum, does not restore
 * or fails the caller's check is deleted and reported as absent: the caller rebuilds, never fails.
 */
export interface IndexSnapshots {
  /**
   * The newest usable snapshot of `space`, restored under `options`; null when there is none.
   * `check` vets its position against the database (a copy restored from before it is behind).
   */
  load(space: SnapshotSpace, options: RetrievalOptions, check?: (position: IndexPosition) => Promise<boolean>): Promise<SavedIndex | null>;
  /** Stores `snapshot` (taken at `position`) and prunes what it supersedes. */
  save(space: SnapshotSpace, snapshot: IndexSnapshot, position: IndexPosition): Promise<SaveResult>;
}

/** Options of {@link createIndexSnapshots}. */
export interface IndexSnapshotOptions {
  cache: Pick<Cache, 'get' | 'put' | 'remove'>;
  logger: Logger;
  clock: { now(): number };
  /** Largest cache value written. Default 4 MiB (well inside lmdb-js's reusable read buffers). */
  chunkBytes?: number;
  /** Spaces (database and embedder) whose latest snapshot is kept per namespace. Default 2 (the model and the hashing fallback). */
  keepSpaces?: number;
  /** A snapshot still being written after this long was abandoned by its writer. Default 10 minutes. */
  abandonedAfterMs?: number;
}

interface Entry {
  key: string;
  database: string;
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
    typeof x.database === 'string' &&
    typeof x.embedder === 'string' &&
    Number.isInteger(x.chunks) &&
    isPosition(x.position) &&
    (x.state === 'writing' || x.state === 'ready')
  );
};
const CHUNKS_PER_COMMIT = 8;

/** The space of an entry, as one string. */
const spaceOf = (e: { database: string; embedder: string }) => `${e.database}\u0000${e.embedder}`;
/** Newer first: further in the change logs, then saved later. */
const newer = (a: Entry, b: Entry) => b.position.memories - a.position.memories || b.position.episodes - a.position.episodes || b.savedAt - a.savedAt;

/** Creates the snapshot store over `cache`. */
export function createIndexSnapshots(opts: IndexSnapshotOptions): IndexSnapshots {
  const { cache, logger, clock } = opts;
  const chunkBytes = opts.chunkBytes ?? 4 * 1024 * 1024;
  const keepSpaces = opts.keepSpaces ?? 2;
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
    async load(space, options, check) {
      const { ns } = space;
      // Twice at most: a snapshot replaced by another process while it was being read is gone
      // from the catalog by then, and its successor is read instead.
      for (let attempt = 0; attempt < 2; attempt++) {
        const entry = readCatalog(ns)
          .filter((e) => e.state === 'ready' && e.format === INDEX_FORMAT && spaceOf(e) === spaceOf(space))
          .sort(newer)[0];
        if (!entry) return null;
        // A failing check (the database is unavailable) fails the load as it would fail a rebuild.
        const fits = check ? await check(entry.position) : true;
        try {
          if (!fits) throw new Error('the database is behind the snapshot (a copy restored from before it?)');
          return { index: await read(entry, options), position: entry.position, bytes: entry.bytes, savedAt: entry.savedAt };
        } catch (err) {
          if (!readCatalog(ns).some((e) => e.key === entry.key)) continue;
          logger.warn('index snapshot unusable; the index will be rebuilt', { ns, embedder: space.embedder, key: entry.key, err: String(err) });
          await updateCatalog(ns, (entries) => entries.filter((e) => e.key !== entry.key));
          await deleteRecords([entry]);
          return null;
        }
      }
      return null;
    },

    async save(space, snapshot, position) {
      const { ns, database, embedder } = space;
      const { bytes } = snapshot;
      const savedAt = clock.now();
      const tag = randomBytes(4).toString('hex');
      const entry: Entry = {
        key: `idx:${[ns, database, embedder].map(encodeURIComponent).join(':')}:${position.memories}.${position.episodes}:${tag}`,
        database,
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
        const usable = ready.filter((e) => e.state === 'ready' && e.format === INDEX_FORMAT);
        const spaces: string[] = [];
        for (const e of [...usable].sort((a, b) => b.savedAt - a.savedAt)) {
          if (spaces.length >= keepSpaces) break;
          if (!spaces.includes(spaceOf(e))) spaces.push(spaceOf(e));
        }
        const keep = new Set<string>();
        for (const space of spaces) {
          const best = usable.filter((e) => spaceOf(e) === space).sort(newer)[0];
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
