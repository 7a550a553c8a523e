import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { CacheFileReport } from './types.js';

/** A running check of a cache file. */
export interface CacheCheck {
  /** Resolves with the verdict; never rejects. */
  done: Promise<CacheFileReport>;
  /** Stops the check (its verdict becomes `unknown`). */
  cancel(): void;
}

/** A way to check a cache file; `checkCacheFile` is the real one. */
export type CacheChecker = (file: string) => CacheCheck;

/** Options for `checkCacheFile`. */
export interface CheckOptions {
  /** Give up after this long. Default 60 s plus 1 s per 10 MB of file. */
  timeoutMs?: number;
  /** The child's script. Default `resolveCheckScript()`. */
  script?: URL;
}

/**
 * Where the checker script is: the sibling `cache-check-main.js` when compiled; from TypeScript
 * source (tests) the compiled `<repo>/dist/src/storage/cache-check-main.js`, because the child
 * runs plain Node.
 */
export function resolveCheckScript(from: string = import.meta.url): URL {
  return from.endsWith('.ts') ? new URL('../../dist/src/storage/cache-check-main.js', from) : new URL('./cache-check-main.js', from);
}

const blank = (bytes: number): Omit<CacheFileReport, 'state'> => ({ entries: 0, corrupt: 0, corruptKeys: [], foreign: 0, bytes, ino: 0 });

/**
 * Checks the cache file in a child process (`inspectCacheFile`), so the file is never mapped into
 * this one until it is known good. A child that dies of a signal (SIGSEGV, SIGBUS, SIGABRT while
 * LMDB reads the file) is a `damaged` verdict; one that cannot run or does not finish is `unknown`.
 */
export function checkCacheFile(file: string, opts: CheckOptions = {}): CacheCheck {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { done: Promise.resolve({ state: 'missing', ...blank(0) }), cancel() {} };
  }
  const script = opts.script ?? resolveCheckScript();
  if (!existsSync(script)) {
    const problem = `cache checker not found at ${fileURLToPath(script)}; run "npm run build"`;
    return { done: Promise.resolve({ state: 'unknown', problem, ...blank(size) }), cancel() {} };
  }
  const timeoutMs = opts.timeoutMs ?? 60_000 + Math.ceil(size / (10 * 1024 ** 2)) * 1000;
  let child: ChildProcess | undefined;
  let stopped: string | undefined;
  const done = new Promise<CacheFileReport>((resolve) => {
    const unknown = (problem: string) => resolve({ state: 'unknown', problem, ...blank(size) });
    child = spawn(process.execPath, [fileURLToPath(script), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Background work: it must not take the CPU from the server that is starting.
    if (child.pid) {
      try {
        setPriority(child.pid, 10);
      } catch {
        /* not permitted here: run at normal priority */
      }
    }
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => {
      stopped = `the check did not finish in ${timeoutMs} ms`;
      child?.kill('SIGKILL');
    }, timeoutMs);
    timer.unref();
    child.on('error', (e) => {
      clearTimeout(timer);
      unknown(`cannot start the cache checker: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (stopped) return unknown(stopped);
      if (signal) return resolve({ state: 'damaged', problem: `reading it through LMDB crashed the checker (${signal})`, ...blank(size) });
      if (code === 0) {
        try {
          return resolve(JSON.parse(out) as CacheFileReport);
        } catch {
          /* fall through: report what the child said */
        }
      }
      unknown(`the cache checker exited with code ${code}: ${err.trim().split('\n').slice(-3).join(' ') || 'no output'}`);
    });
  });
  return {
    done,
    cancel() {
      stopped ??= 'the check was cancelled';
      child?.kill('SIGKILL');
    },
  };
}
