import { createLmdbCache } from '../storage/lmdb-cache.js';
import { createLogger } from '../logger.js';
import { fail, printJson, usage } from './support.js';
import { optionsHelp } from './flags.js';
import type { OperatorCommand } from './types.js';

/** `cairn cache verify|clear`. */
export const cacheCommand: OperatorCommand = {
  name: 'cache',
  usage: 'cache verify|clear',
  summary: 'Check every cache entry, or empty the cache.',
  help: `Usage: cairn cache verify|clear [--home DIR]

The LMDB cache (<home>/cache) holds immutable copies of completed episodes, embeddings and
pattern snapshots; the database stays the source of truth, so the cache can be cleared at any
time, even while servers run (they refill it on demand).

  verify   Reads every entry back and counts entries that fail to decode.
  clear    Removes every entry.

Options:
${optionsHelp([])}

Exit codes: 0 ok, 1 bad entries found or the cache cannot be opened, 2 bad usage.`,
  flags: [],
  async run(config) {
    const action = config.args[0];
    if (action !== 'verify' && action !== 'clear') return usage('cache', action ? `unknown action "${action}"; accepted: verify, clear` : 'missing action (verify or clear)');
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const cache = createLmdbCache({ dir: config.cacheDir, logger });
    try {
      if (!cache.stats().ok) return fail('cache', `cannot open the cache at ${config.cacheDir}; delete the folder to start afresh (nothing is lost)`);
      if (action === 'clear') {
        const before = cache.stats().entries;
        await cache.clear();
        printJson({ path: config.cacheDir, cleared: before });
        return 0;
      }
      const r = await cache.verify();
      const s = cache.stats();
      printJson({ path: config.cacheDir, entries: r.entries, bad: r.bad, bytes: s.bytes });
      return r.bad === 0 ? 0 : fail('cache', `${r.bad} of ${r.entries} entries are unreadable; run "cairn cache clear" (nothing is lost)`);
    } finally {
      await cache.close();
    }
  },
};
