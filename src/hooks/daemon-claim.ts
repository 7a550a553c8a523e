import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { processAlive } from '../ops/instances.js';
import type { DaemonPaths } from './socket.js';

/**
 * How long a live holder of the pid file may take to listen before it counts as stale. A
 * background Cairn listens right after it claims the file (it opens the database behind the
 * socket), so only a pid reused by another program stays silent this long.
 */
const LISTEN_GRACE_MS = 2_000;

/**
 * Makes this process the one background Cairn of a data folder and database: false when another
 * one answers on the socket, or holds the pid file and listens within the grace period. A pid file
 * of a dead process, or of a live one that never listens, is taken over.
 */
export async function claimDaemon(paths: DaemonPaths): Promise<boolean> {
  if (await listening(paths.socket)) return false;
  mkdirSync(dirname(paths.pidFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(paths.pidFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(paths.pidFile, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        for (const until = Date.now() + LISTEN_GRACE_MS; Date.now() < until && processAlive(pid); ) {
          if (await listening(paths.socket)) return false;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      rmSync(paths.pidFile, { force: true });
    }
  }
  return false;
}

/** True when something accepts connections on `socket` (the probe sends nothing and closes). */
export function listening(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(socket);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}
