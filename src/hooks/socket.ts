import { createHash } from 'node:crypto';
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
  const id = createHash('sha256')
    .update(`${home}\u0000${dbUrl}`)
    .digest('hex')
    .slice(0, 12);
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
