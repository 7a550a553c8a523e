import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CairnError } from '../src/errors.js';

/**
 * Where the worker script is. Compiled (`dist/sandbox/runner.js`) it is the sibling `worker.js`,
 * and so it is from the bundle (`dist/chunks/*.js`, one folder down from `dist/`); run from
 * TypeScript source (`sandbox/runner.ts`, e.g. under vitest) it is the compiled
 * `<repo>/dist/sandbox/worker.js`, because a worker thread needs JavaScript. Throws
 * `SANDBOX_ERROR` naming the path and `npm run build` when that file is missing.
 */
export function resolveWorkerUrl(from: string = import.meta.url): URL {
  const url = new URL(from.endsWith('.ts') ? '../dist/sandbox/worker.js' : '../sandbox/worker.js', from);
  if (!existsSync(url)) {
    throw new CairnError(
      'SANDBOX_ERROR',
      `sandbox worker script not found at ${fileURLToPath(url)}; run "npm run build" first (worker threads run the compiled JavaScript)`,
    );
  }
  return url;
}
