import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where one background Cairn of a data folder listens and keeps its files. */
export interface DaemonPaths {
  /** Unix socket, or named pipe on Windows. */
  socket: string;
  /** Holds the daemon's pid while it runs (one daemon per data folder and database). */
  pidFile: string;
  /** Hook events written while no daemon answered; the next daemon records them first. */
  spool: string;
  /** The daemon's own log (its stderr). */
  log: string;
  /** Failures of hook clients. */
  clientLog: string;
}

/** Longest Unix socket path every platform accepts (macOS allows 104 bytes). */
const MAX_SOCKET_PATH = 100;

/**
 * 32-bit FNV-1a of `text` from `seed`, as 8 hex digits. A name, not a secret: node:crypto would
 * cost the hook client more time to load than the whole hash.
 */
function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The database URL Cairn uses for `home` when `CAIRN_DB_URL` names none. */
export function defaultDbUrl(home: string): string {
  return `file:${join(home, 'cairn.db')}`;
}

/**
 * The paths of the background Cairn for `home` and its database URL: under
 * `<home>/run` and `<home>/logs`; on Windows the socket is a named pipe; a socket path too long for
 * the platform moves to the temp folder. Imports only node built-ins (the hook client uses it).
 */
export function daemonPaths(home: string, dbUrl: string, platform: NodeJS.Platform = process.platform): DaemonPaths {
  const id = fnv1a(`${home}\u0000${dbUrl}`, 0x811c9dc5) + fnv1a(`${dbUrl}\u0000${home}`, 0x01000193).slice(0, 4);
  const run = join(home, 'run');
  const inRun = join(run, `hooks-${id}.sock`);
  const socket =
    platform === 'win32' ? `\\\\.\\pipe\\cairn-hooks-${id}` : Buffer.byteLength(inRun) <= MAX_SOCKET_PATH ? inRun : join(tmpdir(), `cairn-hooks-${id}.sock`);
  return {
    socket,
    pidFile: join(run, `hooks-${id}.pid`),
    spool: join(run, `hooks-${id}.spool.jsonl`),
    log: join(home, 'logs', 'hook-daemon.log'),
    clientLog: join(home, 'logs', 'hooks.log'),
  };
}
