import { join } from 'node:path';
import { createLogger } from '../logger.js';
import { checkCacheFile } from '../storage/cache-check.js';
import { removeCacheFiles } from '../storage/cache-files.js';
import { createLmdbCache } from '../storage/lmdb-cache.js';
import { optionsHelp } from './flags.js';
import { fail, printJson, usage } from './support.js';
import type { OperatorCommand } from './types.js';

/** `cairn cache verify|clear`. */
export const cacheCommand: OperatorCommand = {
  name: 'cache',
  usage: 'cache verify|clear',
  summary: 'Check the cache file, or empty the cache.',
  help: `Usage: cairn cache verify|clear [--home DIR]

The LMDB cache (<home>/cache/cache.mdb) holds immutable copies of completed episodes and
embeddings, each with a checksum; the database stays the source of truth, so the cache can be
cleared at any time, even while servers run (they refill it on demand). A server checks the file
in a separate process when it starts and moves a damaged one aside (cache.mdb.damaged-<time>).

  verify   Checks the file in a separate process — its structure, then every record's
           checksum — without opening it here, and prints what it found.
  clear    Removes every entry. A file that fails the check is deleted without being opened.

Options:
${optionsHelp([])}

Exit codes: 0 ok, 1 the file is damaged, has records failing their checksum, or cannot be
checked or cleared, 2 bad usage.`,
  flags: [],
  async run(config) {
    const action = config.args[0];
    if (action !== 'verify' && action !== 'clear')
      return usage('cache', action ? `unknown action "${action}"; accepted: verify, clear` : 'missing action (verify or clear)');
    const file = join(config.cacheDir, 'cache.mdb');
    const report = await checkCacheFile(file).done;
    const { state, entries, corrupt, foreign, bytes, problem } = report;
    if (action === 'verify') {
      printJson({ path: file, state, entries, corrupt, foreign, bytes, ...(problem ? { problem } : {}) });
      const clear = 'run "cairn cache clear" (nothing is lost; a server also rebuilds it on start)';
      if (state === 'damaged') return fail('cache', `the cache file is damaged: ${problem}; ${clear}`);
      if (state === 'unknown') return fail('cache', `cannot check the cache file: ${problem}`);
      if (corrupt > 0) return fail('cache', `${corrupt} of ${entries} records fail their checksum (they are misses, never served); ${clear}`);
      return 0;
    }
    if (state !== 'ok') {
      try {
        removeCacheFiles(file);
      } catch (err) {
        return fail('cache', `cannot delete ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
      printJson({ path: file, cleared: entries, ...(state === 'missing' ? {} : { deleted: true, state }), ...(problem ? { problem } : {}) });
      return 0;
    }
    // Sound: empty it in place, so running servers sharing it see the empty cache at once.
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const cache = createLmdbCache({ dir: config.cacheDir, logger, checker: () => ({ done: Promise.resolve(report), cancel() {} }) });
    try {
      await cache.ready();
      const s = cache.stats();
      if (!s.ok) return fail('cache', `cannot open the cache: ${s.reason}`);
      await cache.clear();
      const after = cache.stats();
      if (after.errors > s.errors) return fail('cache', `clearing failed; delete ${file} and ${file}-lock while no server runs`);
      printJson({ path: file, cleared: s.entries });
      return 0;
    } finally {
      await cache.close();
    }
  },
};
