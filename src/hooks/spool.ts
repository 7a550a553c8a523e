import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** A hook event kept for the background Cairn because none answered in time. */
export interface SpooledHook {
  event: string;
  env: Record<string, string>;
  payload: string;
  at: number;
}

/** Appends a hook event to the spool file (one JSON line; appends of this size do not interleave). */
export function spoolHook(file: string, hook: SpooledHook): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(hook)}\n`);
}

/**
 * Takes the spooled events out of `file`, oldest first: the file is renamed before it is read, so
 * events spooled meanwhile wait for the next drain. Call `done` once they are recorded (until then
 * a crash leaves them on disk under the taken name). Lines that do not parse are skipped.
 */
export function takeSpooled(file: string): { hooks: SpooledHook[]; done: () => void } {
  const taken = `${file}.${process.pid}.draining`;
  try {
    renameSync(file, taken);
  } catch {
    return { hooks: [], done: () => undefined };
  }
  const hooks = readFileSync(taken, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as SpooledHook];
      } catch {
        return [];
      }
    });
  return { hooks, done: () => rmSync(taken, { force: true }) };
}
