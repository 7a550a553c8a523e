import { statSync } from 'node:fs';
import { open } from 'lmdb';
import { checkRecord, MAX_LISTED } from './cache-record.js';
import { checkLmdbFile } from './lmdb-file.js';
import type { CacheFileReport } from './types.js';

/**
 * Inspects the LMDB cache file at `file` in two passes: a structural walk in plain JavaScript
 * (reads, never maps: cannot crash), then — only if that passed — a read of every record through
 * LMDB itself, checking each record's checksum. The second pass runs the code the server will run,
 * so if some damage slipped past the walk and makes LMDB fault, it faults here. Run it in a child
 * process (`checkCacheFile`), never in a server.
 */
export async function inspectCacheFile(file: string): Promise<CacheFileReport> {
  const report: CacheFileReport = { state: 'ok', entries: 0, corrupt: 0, corruptKeys: [], foreign: 0, bytes: 0, ino: 0 };
  try {
    const st = statSync(file);
    report.bytes = st.size;
    report.ino = st.ino;
  } catch {
    return { ...report, state: 'missing' };
  }
  // LMDB initialises an empty file itself (another process may be creating it right now).
  if (report.bytes === 0) return { ...report, state: 'missing' };
  const corrupt = new Set<string>();
  let foreign = 0;
  const tally = (key: Uint8Array, value: Uint8Array) => {
    const status = checkRecord(key, value);
    if (status === 'corrupt') corrupt.add(Buffer.from(key).toString('hex'));
    else if (status === 'foreign') foreign++;
  };
  try {
    const walk = checkLmdbFile(file, (key, value) => tally(key, value()));
    if (!walk.ok) return { ...report, state: walk.unstable ? 'unknown' : 'damaged', problem: walk.problem ?? 'damaged' };
    report.entries = walk.entries;
  } catch (err) {
    return { ...report, state: 'damaged', problem: `cannot read the file: ${String(err)}` };
  }
  const walkedForeign = foreign;
  foreign = 0;
  try {
    // overlappingSync as the server opens it: LMDB then also reads the flushed meta copy.
    const db = open({ path: file, readOnly: true, overlappingSync: true, keyEncoding: 'binary', encoding: 'binary' });
    try {
      let n = 0;
      for (const { key, value } of db.getRange({})) {
        n++;
        tally(key as Uint8Array, value as Uint8Array);
      }
      report.entries = n;
    } finally {
      await db.close();
    }
  } catch (err) {
    return { ...report, state: 'damaged', problem: `LMDB cannot read it: ${err instanceof Error ? err.message : String(err)}` };
  }
  report.corrupt = corrupt.size;
  report.corruptKeys = [...corrupt].slice(0, MAX_LISTED);
  report.foreign = Math.max(foreign, walkedForeign);
  return report;
}
