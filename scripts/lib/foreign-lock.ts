import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A write lock on a SQLite file held by another process, until `release()`. */
export interface ForeignLock {
  /** Process id of the holder. */
  readonly pid: number;
  /** Rolls the holder's transaction back and waits for it to exit. Idempotent. */
  release(): Promise<void>;
}

// Run by the child: BEGIN IMMEDIATE (libSQL's "write" transaction) on its own connection, then wait
// for a line on stdin (or the safety timeout) and roll back. Nothing is ever written.
const HOLDER = `
import { createClient } from '@libsql/client';
const [path, maxMs] = process.argv.slice(-2);
const client = createClient({ url: 'file:' + path, timeout: 5000 });
const tx = await client.transaction('write');
process.stdout.write('locked\\n');
await new Promise((done) => {
  process.stdin.once('data', done);
  setTimeout(done, Number(maxMs)).unref();
});
await tx.rollback();
client.close();
process.stdout.write('released\\n');
process.exit(0);
`;

const ROOT = fileURLToPath(new URL('../..', import.meta.url).href.replace(/\/dist\/$/, '/'));

/**
 * Starts a separate Node process that holds the write lock of the database at `dbPath` (as the
 * `sqlite3` shell does after `BEGIN IMMEDIATE;`) and resolves once the lock is taken. The child
 * gives the lock up on `release()` or after `maxMs` (default 60 000), whichever comes first.
 */
export function holdWriteLock(dbPath: string, maxMs = 60_000): Promise<ForeignLock> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER, dbPath, String(maxMs)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise<ForeignLock>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!out.includes('locked')) reject(new Error(`lock holder exited (${code}) before locking: ${err.trim()}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      const had = out.includes('locked');
      out += d.toString();
      if (!had && out.includes('locked')) {
        resolve({
          pid: child.pid ?? -1,
          async release() {
            if (child.exitCode === null && child.stdin.writable) child.stdin.end('release\n');
            await exited;
          },
        });
      }
    });
  });
}
