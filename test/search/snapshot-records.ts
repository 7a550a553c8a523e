import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The folder where a home's snapshots of namespace `ns` live. */
export function snapshotFolder(home: string, ns = 'default'): string {
  return join(home, 'cache', 'index', `ns-${encodeURIComponent(ns)}`);
}

/** Every file in a namespace's snapshot folder (snapshots and temporary files), sorted. */
export function snapshotFolderFiles(home: string, ns = 'default'): string[] {
  const dir = snapshotFolder(home, ns);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** The snapshot files of a namespace, full paths, sorted. */
export function snapshotFiles(home: string, ns = 'default'): string[] {
  return snapshotFolderFiles(home, ns)
    .filter((f) => f.endsWith('.snap'))
    .map((f) => join(snapshotFolder(home, ns), f));
}

/** What a snapshot's file name says: its space hash, index format and position. */
export function describe(file: string): { space: string; format: number; memories: number; episodes: number } {
  const m = /([0-9a-f]{16})-f(\d+)-(\d+)-(\d+)-[0-9a-f]{8}\.snap$/.exec(file);
  if (!m) throw new Error(`not a snapshot file name: ${file}`);
  return { space: m[1]!, format: Number(m[2]), memories: Number(m[3]), episodes: Number(m[4]) };
}
