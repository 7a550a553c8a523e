import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A Cairn process serving from a data folder. */
export interface Instance {
  pid: number;
  kind: 'stdio' | 'http' | 'hooks';
  startedAt: number;
}

const runDir = (home: string) => join(home, 'run');

/**
 * Records this process as serving from `home` (`<home>/run/<pid>.json`) so operator commands
 * that must not run under a live server (restore) can tell. Returns the function that removes the
 * record; it is also removed on normal process exit.
 */
export function registerInstance(home: string, kind: Instance['kind'], now = Date.now()): () => void {
  const file = join(runDir(home), `${process.pid}.json`);
  try {
    mkdirSync(runDir(home), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: process.pid, kind, startedAt: now } satisfies Instance));
  } catch {
    return () => undefined;
  }
  const release = () => rmSync(file, { force: true });
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}

/** Live servers on `home` other than this process; records of dead processes are removed. */
export function liveInstances(home: string): Instance[] {
  let names: string[];
  try {
    names = readdirSync(runDir(home)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Instance[] = [];
  for (const name of names) {
    const file = join(runDir(home), name);
    let rec: Instance;
    try {
      rec = JSON.parse(readFileSync(file, 'utf8')) as Instance;
    } catch {
      continue;
    }
    if (rec.pid === process.pid) continue;
    if (processAlive(rec.pid)) out.push(rec);
    else rmSync(file, { force: true });
  }
  return out;
}

/** Whether a process with this pid exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
