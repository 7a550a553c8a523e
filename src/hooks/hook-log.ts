import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A log file grows to this size, then starts over (the previous one kept as `.1`). */
const MAX_LOG_BYTES = 1024 * 1024;

/**
 * Appends one JSON line to a hook log file. Claude Code shows nothing a successful hook writes on
 * stderr, so failures go to a file a person can read (`<home>/logs/hooks.log`); when the file
 * cannot be written either, to stderr. Never throws.
 */
export function logHookFailure(file: string, msg: string, fields: Record<string, unknown> = {}): void {
  const line = `${JSON.stringify({ t: new Date().toISOString(), level: 'error', msg, pid: process.pid, ...fields }, (_k, v) => (v instanceof Error ? v.message : v))}\n`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    rotate(file);
    appendFileSync(file, line);
  } catch {
    try {
      process.stderr.write(line);
    } catch {
      /* nowhere left to report */
    }
  }
}

/** Moves `file` to `file.1` when it has grown past the limit. */
export function rotate(file: string, maxBytes = MAX_LOG_BYTES): void {
  try {
    if (statSync(file).size > maxBytes) renameSync(file, `${file}.1`);
  } catch {
    /* missing: nothing to rotate */
  }
}
