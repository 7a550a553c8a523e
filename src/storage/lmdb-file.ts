import { closeSync, fstatSync, openSync } from 'node:fs';
import { Damage, HDR, INVALID, type Meta, P_BRANCH, P_LEAF, P_OVERFLOW, readAt, readMeta, type Tree, tree } from './lmdb-meta.js';

/**
 * A structural check of an LMDB data file (the on-disk format of the LMDB bundled with lmdb-js 3:
 * data version 2, 64-bit page numbers) written in plain JavaScript. It reads the file with `read`,
 * never maps it, so a damaged file can make it report a problem but never crash the process —
 * unlike LMDB itself, which trusts the file and faults (SIGSEGV, SIGBUS) on a truncated or
 * garbled one. It checks what LMDB relies on without checking: both meta pages, every page
 * reachable from the newest meta (number, type, bounds, transaction id, node offsets and sizes),
 * overflow runs, the free list, and the page and entry counts recorded for each tree.
 */

/** What `checkLmdbFile` found. */
export interface LmdbFileReport {
  ok: boolean;
  /** What is wrong, naming the page, when not ok. */
  problem?: string;
  /** True when the file kept changing under the check (another process writing), so it proves nothing. */
  unstable?: boolean;
  pageSize: number;
  /** Transaction id of the snapshot that was checked. */
  txnid: number;
  /** Records in the main database. */
  entries: number;
}

/** Called for every record of the main database with its key and a reader for its value. */
export type RecordVisitor = (key: Buffer, value: () => Buffer) => void;

/**
 * Checks the LMDB file at `path` and calls `visit` for every record. While another process
 * commits, pages can be reused under the check; a problem counts only if the newest meta page
 * did not change during the walk, otherwise the walk is retried (up to `attempts` times).
 */
export function checkLmdbFile(path: string, visit: RecordVisitor = () => {}, attempts = 8): LmdbFileReport {
  const fd = openSync(path, 'r');
  try {
    let last: LmdbFileReport = { ok: false, problem: 'not checked', pageSize: 0, txnid: 0, entries: 0 };
    for (let i = 0; i < attempts; i++) {
      let before: Meta | undefined;
      try {
        before = readMeta(fd);
        return { ok: true, pageSize: before.pageSize, txnid: before.txnid, entries: walk(fd, before, visit) };
      } catch (err) {
        if (!(err instanceof Damage)) throw err;
        last = { ok: false, problem: err.message, pageSize: before?.pageSize ?? 0, txnid: before?.txnid ?? 0, entries: 0 };
      }
      let after: Meta | undefined;
      try {
        after = readMeta(fd);
      } catch {
        /* still damaged: compare below */
      }
      if (before && after && after.txnid === before.txnid) return last;
      if (!before && !after) return last;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * (i + 1));
    }
    return { ...last, unstable: true };
  } finally {
    closeSync(fd);
  }
}

const F_BIGDATA = 0x01;
const F_SUBDATA = 0x02;
const MDB_DUPSORT = 0x04;

/** Order of free-list keys: transaction ids as native 64-bit integers. */
function byTxnid(a: Buffer, b: Buffer): number {
  if (a.length !== 8 || b.length !== 8) return Buffer.compare(a, b);
  const x = a.readBigUInt64LE(0);
  const y = b.readBigUInt64LE(0);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Walks the main tree, its named databases and the free list; returns the main record count. */
function walk(fd: number, meta: Meta, visit: RecordVisitor): number {
  const ps = meta.pageSize;
  const filePages = Math.floor(fstatSync(fd).size / ps);
  const used = new Uint8Array(Math.min(meta.lastPage, filePages) + 1);
  const claim = (pg: number, what: string) => {
    if (!Number.isSafeInteger(pg) || pg < 2 || pg > meta.lastPage) throw new Damage(`${what} names page ${pg}, outside 2..${meta.lastPage}`);
    if (pg >= filePages) throw new Damage(`${what} names page ${pg}, past the end of the file (${filePages} pages; truncated?)`);
    if (used[pg]) throw new Damage(`page ${pg} is reached twice (${what})`);
    used[pg] = 1;
  };
  const page = (pg: number, what: string): Buffer => {
    claim(pg, what);
    const p = readAt(fd, ps, pg * ps);
    if (p.readBigUInt64LE(0) !== BigInt(pg)) throw new Damage(`page ${pg} says it is page ${p.readBigUInt64LE(0)}`);
    if (Number(p.readBigUInt64LE(8)) > meta.txnid)
      throw new Damage(`page ${pg} belongs to transaction ${p.readBigUInt64LE(8)}, newer than the file's ${meta.txnid}`);
    return p;
  };

  // LMDB finds a key by binary search, so keys out of order (a flipped bit in one) make records
  // unreachable and new copies land beside them: every key must sort within its page's bounds.
  const walkTree = (
    t: Tree,
    name: string,
    onLeaf: (key: Buffer, value: () => Buffer, flags: number, size: number) => void,
    cmp: (a: Buffer, b: Buffer) => number = Buffer.compare,
  ) => {
    if (t.flags & MDB_DUPSORT) throw new Damage(`${name} is a duplicate-sorted database, which the cache never creates`);
    const seen = { branch: 0, leaf: 0, overflow: 0, entries: 0 };
    if (t.root !== INVALID) {
      if (t.depth < 1 || t.depth > 32) throw new Damage(`${name} has depth ${t.depth}`);
      const visitPage = (pg: number, level: number, what: string, lo?: Buffer, hi?: Buffer) => {
        const p = page(pg, what);
        const flags = p.readUInt16LE(18);
        const lower = p.readUInt16LE(20);
        const upper = p.readUInt16LE(22);
        const want = level > 1 ? P_BRANCH : P_LEAF;
        if (flags !== want) throw new Damage(`page ${pg} of ${name} has flags 0x${flags.toString(16)}, expected a ${level > 1 ? 'branch' : 'leaf'} page`);
        if (lower & 1 || lower < 2 || upper < lower || HDR + upper > ps) throw new Damage(`page ${pg} of ${name} has bounds ${lower}..${upper}`);
        seen[level > 1 ? 'branch' : 'leaf']++;
        const n = lower >> 1;
        const node = (i: number) => {
          const off = HDR + p.readUInt16LE(HDR + 2 * i);
          if (off < HDR + upper || off + 8 > ps) throw new Damage(`node ${i} of page ${pg} (${name}) is at offset ${off}, outside the page's node area`);
          const ksize = p.readUInt16LE(off + 6);
          if (off + 8 + ksize > ps) throw new Damage(`key of node ${i} on page ${pg} (${name}) runs past the page`);
          return { off, key: p.subarray(off + 8, off + 8 + ksize) };
        };
        const keys: Buffer[] = [];
        for (let i = 0; i < n; i++) {
          const key = node(i).key;
          // The first key of a branch page is not used (it stands for "everything below").
          if (level > 1 && i === 0) continue;
          const prev = keys.at(-1) ?? lo;
          if ((prev && (keys.length ? cmp(prev, key) >= 0 : cmp(prev, key) > 0)) || (hi && cmp(key, hi) >= 0))
            throw new Damage(`key of node ${i} on page ${pg} (${name}) is out of order`);
          keys.push(key);
        }
        for (let i = 0; i < n; i++) {
          const { off, key } = node(i);
          const nflags = p.readUInt16LE(off + 4);
          const ksize = key.length;
          const lohi = p.readUInt16LE(off) + p.readUInt16LE(off + 2) * 0x10000;
          if (level > 1) {
            visitPage(lohi + nflags * 0x100000000, level - 1, `branch page ${pg} of ${name}`, i === 0 ? lo : key, i + 1 < n ? node(i + 1).key : hi);
            continue;
          }
          seen.entries++;
          const at = off + 8 + ksize;
          if (nflags & ~(F_BIGDATA | F_SUBDATA) || (nflags & F_BIGDATA && nflags & F_SUBDATA))
            throw new Damage(`node ${i} on page ${pg} (${name}) has flags 0x${nflags.toString(16)}`);
          if (!(nflags & F_BIGDATA)) {
            if (at + lohi > ps) throw new Damage(`value of node ${i} on page ${pg} (${name}) runs past the page`);
            onLeaf(key, () => p.subarray(at, at + lohi), nflags, lohi);
            continue;
          }
          if (at + 24 > ps) throw new Damage(`overflow reference of node ${i} on page ${pg} (${name}) runs past the page`);
          const ov = Number(p.readBigUInt64LE(at));
          const count = Number(p.readBigUInt64LE(at + 16));
          const needed = Math.floor((HDR - 1 + lohi) / ps) + 1;
          if (!Number.isSafeInteger(count) || count < needed || count > meta.lastPage)
            throw new Damage(`value of node ${i} on page ${pg} (${name}) needs ${needed} overflow pages but names ${count}`);
          const head = page(ov, `overflow value on page ${pg} of ${name}`);
          if (head.readUInt16LE(18) !== P_OVERFLOW || head.readUInt32LE(20) !== count)
            throw new Damage(`page ${ov} is not the start of a ${count}-page overflow run`);
          for (let k = 1; k < count; k++) claim(ov + k, `overflow run at page ${ov}`);
          seen.overflow += count;
          onLeaf(key, () => readAt(fd, lohi, ov * ps + HDR), nflags, lohi);
        }
      };
      visitPage(Number(t.root), t.depth, `the ${name} root`);
    }
    for (const k of ['branch', 'leaf', 'overflow', 'entries'] as const) {
      if (seen[k] !== t[k]) throw new Damage(`${name} records ${t[k]} ${k === 'entries' ? 'entries' : `${k} pages`} but has ${seen[k]}`);
    }
  };

  walkTree(meta.main, 'main database', (key, value, flags, size) => {
    if (!(flags & F_SUBDATA)) return visit(Buffer.from(key), value);
    if (size !== 48) throw new Damage(`named database "${key.toString('latin1')}" has a ${size}-byte record`);
    walkTree(tree(value(), 0), `database "${key.toString('latin1')}"`, () => {});
  });

  // lmdb-js's LMDB keeps the free list as reusable slots: a count, then entries that are page
  // numbers, negative run lengths or empty (0), with spare room after them.
  const free: number[] = [];
  walkTree(
    meta.free,
    'free list',
    (key, value, flags, size) => {
      if (key.length !== 8 || flags & F_SUBDATA) throw new Damage(`free-list record has a ${key.length}-byte key`);
      const ids = value();
      const n = size >= 8 ? Number(ids.readBigUInt64LE(0)) : -1;
      if (n < 0 || (n + 1) * 8 > size) throw new Damage(`free-list record ${key.readBigUInt64LE(0)} is ${size} bytes for ${n} entries`);
      for (let i = 1; i <= n; i++) free.push(Number(ids.readBigInt64LE(8 * i)));
    },
    byTxnid,
  );
  for (const e of free) {
    if (e > meta.lastPage || e < -meta.lastPage - 1 || e === 1) throw new Damage(`free list holds ${e}, not a page of 2..${meta.lastPage} nor a run length`);
    if (e > 1 && used[e]) throw new Damage(`page ${e} is both in use and on the free list`);
  }
  return meta.main.entries;
}
