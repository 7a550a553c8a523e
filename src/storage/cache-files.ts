import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How many moved-aside damaged files are kept (the newest) for inspection. */
export const KEEP_DAMAGED = 2;

/**
 * Moves a damaged cache file aside as `<file>.damaged-<time>` and removes its lock file (which
 * holds no data), so the next open starts an empty cache. `ino` is the inode that was found
 * damaged: when the file at `file` is another one (a concurrent process already moved it and
 * started afresh), nothing is moved and null is returned. Older damaged copies beyond
 * `KEEP_DAMAGED` are deleted.
 */
export function moveAside(file: string, ino: number, now: number): string | null {
  try {
    if (ino && statSync(file).ino !== ino) return null;
  } catch {
    return null;
  }
  const target = `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, target);
  rmSync(`${file}-lock`, { force: true });
  pruneDamaged(file);
  return target;
}

/** Deletes the cache file and its lock file without opening them. */
export function removeCacheFiles(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}-lock`, { force: true });
}

function pruneDamaged(file: string): void {
  const prefix = `${basename(file)}.damaged-`;
  const old = readdirSync(dirname(file))
    .filter((f) => f.startsWith(prefix))
    .sort()
    .slice(0, -KEEP_DAMAGED);
  for (const f of old) rmSync(join(dirname(file), f), { force: true });
}
