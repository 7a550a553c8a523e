import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** Where a running Cairn keeps files that a backup or restore must never overwrite or read as a backup. */
export interface LiveFiles {
  /** The embedded database file (`<home>/cairn.db`). */
  dbPath: string;
  /** The LMDB cache folder (`<home>/cache`). */
  cacheDir: string;
}

const DB_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/**
 * What `path` is among the live files — "the live database", "the live database's -wal file", "a
 * file of the cache" — or null when it is none of them. Real paths are compared, with symlinks
 * and `..` resolved even when `path` does not exist yet; an existing file is also compared by
 * device and inode, so a hard link to the database is recognised too.
 */
export function liveFileRole(path: string, live: LiveFiles): string | null {
  const target = realPath(path);
  const db = realPath(live.dbPath);
  for (const suffix of DB_SUFFIXES) {
    const label = suffix ? `the live database's ${suffix} file` : 'the live database';
    if (target === `${db}${suffix}` || target === realPath(`${live.dbPath}${suffix}`) || sameInode(path, `${live.dbPath}${suffix}`)) return label;
  }
  const cache = realPath(live.cacheDir);
  if (target === cache || target.startsWith(`${cache}${sep}`)) return 'the cache folder or a file in it';
  return null;
}

/** `path` with every symlink and `..` resolved; the parts that do not exist yet are appended as given. */
export function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

function sameInode(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
