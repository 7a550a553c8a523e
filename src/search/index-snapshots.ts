import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from '../logger.js';
import {
  createImageAssembler,
  INDEX_FORMAT,
  type IndexSnapshot,
  type RetrievalIndex,
  type RetrievalOptions,
  restoreRetrievalIndex,
  type SnapshotHeader,
} from '../retrieval/index.js';
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
 * Snapshots of namespace indexes, one immutable file each under the cache folder, named by the
 * namespace, a hash of the space, the index format, the change sequences it covers and a random
 * tag, and checksummed (CRC-32 of the header and of every 4 MiB block). Files, not LMDB records:
 * nothing is read before the LMDB cache's start-up check ends, a read of a mapped record stays
 * in the process's RSS, and a plain file read cannot crash the process however damaged the file.
 * After a save, the older snapshots of the same space, those of another format, abandoned
 * temporary files and all but the `keepSpaces` most recently saved spaces are deleted. A snapshot
 * that is truncated, fails a checksum, does not restore or fails the caller's check is deleted
 * and reported as absent: the caller rebuilds, never fails.
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
  /** Folder of the snapshots (created on first save), e.g. `<cache>/index`. */
  dir: string;
  logger: Logger;
  clock: { now(): number };
  /** Bytes per checksummed block. Default 4 MiB. */
  blockBytes?: number;
  /** Spaces (database and embedder) whose latest snapshot is kept per namespace. Default 2 (the model and the hashing fallback). */
  keepSpaces?: number;
  /** A temporary file older than this was abandoned by its writer. Default 10 minutes. */
  abandonedAfterMs?: number;
}

/** The file's first bytes; the digit is the version of this file layout. */
const MAGIC = Buffer.from('CAIRNIX1');
const PREFIX = 16;
const NAME = /^([0-9a-f]{16})-f(\d+)-(\d+)-(\d+)-([0-9a-f]{8})\.snap$/;

/** What the file's header holds. */
interface FileHeader {
  space: SnapshotSpace;
  position: IndexPosition;
  savedAt: number;
  blockBytes: number;
  crcs: number[];
  snapshot: SnapshotHeader;
}

/** A snapshot file, as its name describes it. */
interface Listed {
  file: string;
  space: string;
  format: number;
  position: IndexPosition;
  tag: string;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
/** Newer first: further in the change logs; equal positions by tag, so every process agrees. */
const newer = (a: Listed, b: Listed) => b.position.memories - a.position.memories || b.position.episodes - a.position.episodes || (a.tag < b.tag ? 1 : -1);
const spaceId = (s: SnapshotSpace) => createHash('sha256').update(`${s.database}\u0000${s.embedder}`).digest('hex').slice(0, 16);

/** Creates the snapshot store under `opts.dir`. */
export function createIndexSnapshots(opts: IndexSnapshotOptions): IndexSnapshots {
  const { logger, clock } = opts;
  const blockBytes = opts.blockBytes ?? 4 * 1024 * 1024;
  const keepSpaces = opts.keepSpaces ?? 2;
  const abandonedAfter = opts.abandonedAfterMs ?? 10 * 60_000;
  const folder = (ns: string) => join(opts.dir, `ns-${encodeURIComponent(ns)}`);

  const list = async (ns: string): Promise<{ snapshots: Listed[]; temporary: string[] }> => {
    let names: string[];
    try {
      names = await readdir(folder(ns));
    } catch {
      return { snapshots: [], temporary: [] };
    }
    const snapshots: Listed[] = [];
    for (const name of names) {
      const m = NAME.exec(name);
      if (m)
        snapshots.push({
          file: join(folder(ns), name),
          space: m[1]!,
          format: Number(m[2]),
          position: { memories: Number(m[3]), episodes: Number(m[4]) },
          tag: m[5]!,
        });
    }
    return { snapshots, temporary: names.filter((n) => n.endsWith('.tmp')).map((n) => join(folder(ns), n)) };
  };
  const remove = async (file: string) => {
    // Gone already (another process pruned it), or held open on Windows: the next prune retries.
    await unlink(file).catch(() => undefined);
  };

  async function read(item: Listed, space: SnapshotSpace, options: RetrievalOptions): Promise<{ index: RetrievalIndex; header: FileHeader; bytes: number }> {
    const fh = await open(item.file, 'r');
    try {
      const prefix = Buffer.alloc(PREFIX);
      await fh.read(prefix, 0, PREFIX, 0);
      if (!prefix.subarray(0, 8).equals(MAGIC)) throw new Error('not a snapshot file of this layout');
      const headerBytes = prefix.readUInt32LE(8);
      if (headerBytes > 64 * 1024 * 1024) throw new Error('header too long');
      const raw = Buffer.alloc(headerBytes);
      if ((await fh.read(raw, 0, headerBytes, PREFIX)).bytesRead !== headerBytes || crc32(raw) !== prefix.readUInt32LE(12)) throw new Error('header damaged');
      const header = JSON.parse(raw.toString('utf8')) as FileHeader;
      if (header.space?.ns !== space.ns || header.space.database !== space.database || header.space.embedder !== space.embedder)
        throw new Error('snapshot of another space');
      const total = header.snapshot.layout.bytes;
      const blocks = Math.ceil(total / header.blockBytes);
      if (!(header.blockBytes > 0) || !Array.isArray(header.crcs) || header.crcs.length !== blocks) throw new Error('header malformed');
      const assembler = createImageAssembler(header.snapshot.layout);
      const block = Buffer.allocUnsafe(Math.min(header.blockBytes, Math.max(total, 1)));
      const start = align8(PREFIX + headerBytes);
      for (let i = 0; i < blocks; i++) {
        const n = Math.min(header.blockBytes, total - i * header.blockBytes);
        const { bytesRead } = await fh.read(block, 0, n, start + i * header.blockBytes);
        if (bytesRead !== n) throw new Error('file truncated');
        const piece = block.subarray(0, n);
        if (crc32(piece) !== header.crcs[i]) throw new Error(`block ${i} fails its checksum`);
        assembler.write(i * header.blockBytes, piece);
      }
      return { index: restoreRetrievalIndex(options, header.snapshot, assembler.finish()), header, bytes: start + total };
    } finally {
      await fh.close();
    }
  }

  return {
    async load(space, options, check) {
      const id = spaceId(space);
      const candidates = (await list(space.ns)).snapshots.filter((s) => s.space === id && s.format === INDEX_FORMAT).sort(newer);
      for (const item of candidates) {
        // A failing check (the database is unavailable) fails the load as it would fail a rebuild.
        const fits = check ? await check(item.position) : true;
        try {
          if (!fits) throw new Error('the database is behind the snapshot (a copy restored from before it?)');
          const { index, header, bytes } = await read(item, space, options);
          return { index, position: item.position, bytes, savedAt: header.savedAt };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          logger.warn('index snapshot unusable; it is deleted', { ns: space.ns, embedder: space.embedder, file: item.file, err: String(err) });
          await remove(item.file);
        }
      }
      return null;
    },

    async save(space, snapshot, position) {
      const { bytes } = snapshot;
      const savedAt = clock.now();
      const crcs: number[] = [];
      for (let at = 0; at < bytes.length; at += blockBytes) crcs.push(crc32(bytes.subarray(at, Math.min(bytes.length, at + blockBytes))));
      const header = Buffer.from(JSON.stringify({ space, position, savedAt, blockBytes, crcs, snapshot: snapshot.header } satisfies FileHeader), 'utf8');
      const prefix = Buffer.alloc(align8(PREFIX + header.length) - header.length);
      MAGIC.copy(prefix, 0);
      prefix.writeUInt32LE(header.length, 8);
      prefix.writeUInt32LE(crc32(header), 12);
      const name = `${spaceId(space)}-f${snapshot.header.format}-${position.memories}-${position.episodes}-${randomBytes(4).toString('hex')}.snap`;
      const dir = folder(space.ns);
      const temporary = join(dir, `.${name}.${process.pid}.tmp`);
      await mkdir(dir, { recursive: true });
      const fh = await open(temporary, 'wx');
      try {
        // The header's padding sits between it and the image, which starts 8-byte aligned.
        await fh.writev([prefix.subarray(0, PREFIX), header, prefix.subarray(PREFIX), bytes]);
        await fh.close();
        // A reader sees a whole file or none.
        await rename(temporary, join(dir, name));
      } catch (err) {
        await fh.close().catch(() => undefined);
        await remove(temporary);
        throw err;
      }
      const pruned = await prune(space.ns);
      logger.debug('index snapshot saved', { ns: space.ns, embedder: space.embedder, position, bytes: bytes.length, pruned });
      return { position, bytes: prefix.length + header.length + bytes.length, savedAt };
    },
  };

  /** Deletes what the newest snapshots supersede; returns how many files went. */
  async function prune(ns: string): Promise<number> {
    const { snapshots, temporary } = await list(ns);
    const now = clock.now();
    const victims: string[] = [];
    for (const file of temporary) {
      const age = await stat(file).then(
        (s) => now - s.mtimeMs,
        () => 0,
      );
      if (age > abandonedAfter) victims.push(file);
    }
    const current = snapshots.filter((s) => s.format === INDEX_FORMAT);
    victims.push(...snapshots.filter((s) => s.format !== INDEX_FORMAT).map((s) => s.file));
    // The newest snapshot of each space; the spaces saved to most recently are kept.
    const best = new Map<string, Listed>();
    for (const s of [...current].sort(newer)) if (!best.has(s.space)) best.set(s.space, s);
    const saved = await Promise.all(
      [...best.values()].map(async (s) => ({
        s,
        at: await stat(s.file).then(
          (x) => x.mtimeMs,
          () => 0,
        ),
      })),
    );
    const kept = new Set(
      saved
        .sort((a, b) => b.at - a.at)
        .slice(0, keepSpaces)
        .map(({ s }) => s.file),
    );
    victims.push(...current.filter((s) => !kept.has(s.file)).map((s) => s.file));
    await Promise.all(victims.map(remove));
    return victims.length;
  }
}
