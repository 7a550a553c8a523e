import { fstatSync, readSync } from 'node:fs';

/**
 * The parts of an LMDB data file that LMDB reads before it maps the file: the two meta pages and,
 * with overlapping sync, the flushed meta copy in the middle of page 0. Layout of the LMDB bundled
 * with lmdb-js 3 (data version 2, 64-bit page numbers, 24-byte page header).
 */

/** Size of a page header. */
export const HDR = 24;
export const P_BRANCH = 0x01;
export const P_LEAF = 0x02;
export const P_OVERFLOW = 0x04;
const P_META = 0x08;
const MAGIC = 0xbeefc0de;
const DATA_VERSION = 2;
/** Root page number of an empty tree. */
export const INVALID = 0xffffffffffffffffn;

/** Something in the file LMDB would trust and should not. */
export class Damage extends Error {}

/** A tree's record in a meta page (`MDB_db`). */
export interface Tree {
  flags: number;
  depth: number;
  branch: number;
  leaf: number;
  overflow: number;
  entries: number;
  root: bigint;
}

/** The newest meta page: the snapshot LMDB opens. */
export interface Meta {
  pageSize: number;
  free: Tree;
  main: Tree;
  lastPage: number;
  txnid: number;
}

/** Reads `size` bytes at `position`; a short read is damage (the file was truncated). */
export function readAt(fd: number, size: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  const n = readSync(fd, buf, 0, size, position);
  if (n !== size) throw new Damage(`${size} bytes at offset ${position} are past the end of the file (truncated?)`);
  return buf;
}

/** Decodes an `MDB_db` record at offset `o` of `b`. */
export function tree(b: Buffer, o: number): Tree {
  return {
    flags: b.readUInt16LE(o + 4),
    depth: b.readUInt16LE(o + 6),
    branch: Number(b.readBigUInt64LE(o + 8)),
    leaf: Number(b.readBigUInt64LE(o + 16)),
    overflow: Number(b.readBigUInt64LE(o + 24)),
    entries: Number(b.readBigUInt64LE(o + 32)),
    root: b.readBigUInt64LE(o + 40),
  };
}

function metaAt(b: Buffer, pgno: number): Meta {
  if (b.readBigUInt64LE(0) !== BigInt(pgno) || !(b.readUInt16LE(18) & P_META)) throw new Damage(`page ${pgno} is not a meta page`);
  if (b.readUInt32LE(HDR) !== MAGIC) throw new Damage(`meta page ${pgno} has no LMDB magic number`);
  if ((b.readUInt32LE(HDR + 4) & 0xffff) !== DATA_VERSION)
    throw new Damage(`meta page ${pgno} has data version ${b.readUInt32LE(HDR + 4) & 0xffff}, expected ${DATA_VERSION}`);
  const pageSize = b.readUInt32LE(HDR + 24);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new Damage(`meta page ${pgno} has page size ${pageSize}`);
  return {
    pageSize,
    free: tree(b, HDR + 24),
    main: tree(b, HDR + 72),
    lastPage: Number(b.readBigUInt64LE(HDR + 120)),
    txnid: Number(b.readBigUInt64LE(HDR + 128)),
  };
}

/** Reads and checks both meta pages and the flushed copy; returns the newest meta. */
export function readMeta(fd: number): Meta {
  const size = fstatSync(fd).size;
  if (size < 1024) throw new Damage(`file is ${size} bytes, shorter than its two meta pages (truncated?)`);
  const m0 = metaAt(readAt(fd, 256, 0), 0);
  if (size < 2 * m0.pageSize) throw new Damage(`file is ${size} bytes, shorter than its two meta pages of ${m0.pageSize} bytes (truncated?)`);
  const m1 = metaAt(readAt(fd, 256, m0.pageSize), 1);
  if (m1.pageSize !== m0.pageSize) throw new Damage(`meta pages disagree on the page size (${m0.pageSize}, ${m1.pageSize})`);
  const m = m0.txnid >= m1.txnid ? m0 : m1;
  // Pages freed in the transaction that allocated them may never be written, so the file can end
  // a little before the last page; LMDB maps at least up to it.
  const pages = Math.floor(size / m.pageSize);
  if (m.lastPage < 1 || m.lastPage >= pages + 65536) throw new Damage(`newest meta page names ${m.lastPage} as its last page, but the file has ${pages} pages`);
  checkFlushedMeta(readAt(fd, 256, m0.pageSize / 2), m0, m1);
  return m;
}

/**
 * With overlapping sync (lmdb-js's default on Linux and macOS) LMDB also reads a copy of the last
 * flushed meta from the middle of page 0 when it opens the file, reading metas in the order page
 * 0, copy, page 1 and keeping the one with the highest transaction id (the first on a tie). When
 * the copy wins, its page size and last page configure the map, so it must then be an exact copy
 * of page 1's meta.
 */
function checkFlushedMeta(b: Buffer, m0: Meta, m1: Meta): void {
  const txnid = Number(b.readBigUInt64LE(HDR + 128));
  if (txnid <= m0.txnid || txnid < m1.txnid) return;
  const same =
    txnid === m1.txnid &&
    b.readUInt32LE(HDR + 24) === m1.pageSize &&
    Number(b.readBigUInt64LE(HDR + 120)) === m1.lastPage &&
    tree(b, HDR + 72).root === m1.main.root &&
    tree(b, HDR + 24).root === m1.free.root;
  if (!same) throw new Damage(`the flushed meta copy (transaction ${txnid}) is not a copy of the newest meta page`);
}
