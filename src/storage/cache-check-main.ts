/**
 * Child-process entry of the cache check: `node cache-check-main.js FILE` prints a
 * CacheFileReport as JSON on stdout. If the file makes LMDB fault, this process dies of a signal
 * and the parent (`checkCacheFile`) reads that as "damaged" — the server never maps the file.
 */
import { inspectCacheFile } from './cache-inspect.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: cache-check-main.js FILE\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await inspectCacheFile(file))}\n`);
