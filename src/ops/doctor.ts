import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isLoopback } from '../config/http.js';
import type { Config } from '../config/index.js';
import { findTransformers, runtimeDirOf, runtimeMissing } from '../embeddings/runtime.js';
import { resolveModelSource } from '../embeddings/transformers.js';
import { isCairnError } from '../errors.js';
import { dbFilePath } from '../storage/backup.js';
import { currentVersion } from '../storage/migrate.js';
import type { Cache, Db } from '../storage/types.js';
import { dbSize } from './health.js';
import { liveInstances } from './instances.js';

/** One finding of `cairn doctor`. */
export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

const MB = 1024 ** 2;
const human = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(1)} GB` : `${(b / MB).toFixed(1)} MB`);

/** Checks that need no database: Node, configuration, data folder, disk space, running servers. */
export function checkEnvironment(config: Config, minNode = [20, 19]): Check[] {
  const out: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const nodeOk = major > minNode[0]! || (major === minNode[0] && minor >= minNode[1]!);
  out.push({ name: 'node', status: nodeOk ? 'ok' : 'fail', detail: `v${process.versions.node}${nodeOk ? '' : ` — Cairn needs ≥ ${minNode.join('.')}`}` });

  const http = config.http;
  const exposed = !isLoopback(http.host) && http.tokens.length === 0;
  out.push({
    name: 'config',
    status: exposed ? 'warn' : 'ok',
    detail:
      `home ${config.home}; namespace ${config.namespace}; toolsets ${config.toolsets.join(',')}; embeddings ${config.embeddings}; ` +
      `http ${http.host}:${http.port} with ${http.tokens.length} token(s)${exposed ? ' — "serve --http" would refuse a non-loopback host without CAIRN_TOKENS' : ''}`,
  });

  let probe = config.home;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    accessSync(probe, constants.W_OK);
    out.push({
      name: 'home',
      status: 'ok',
      detail: existsSync(config.home) ? `${config.home} is writable` : `${config.home} will be created (parent ${probe} is writable)`,
    });
  } catch {
    out.push({ name: 'home', status: 'fail', detail: `${probe} is not writable; set CAIRN_HOME to a folder you can write` });
  }
  try {
    const fs = statfsSync(probe);
    const free = fs.bavail * fs.bsize;
    out.push({
      name: 'disk',
      status: free < 100 * MB ? 'fail' : free < 1024 * MB ? 'warn' : 'ok',
      detail: `${human(free)} free on the data folder's file system`,
    });
  } catch (err) {
    out.push({ name: 'disk', status: 'warn', detail: `cannot read free space (${String(err)})` });
  }
  const running = liveInstances(config.home);
  out.push({
    name: 'servers',
    status: 'ok',
    detail: running.length
      ? running.map((r) => `pid ${r.pid} (${r.kind}) since ${new Date(r.startedAt).toISOString()}`).join('; ')
      : 'none running from this folder',
  });
  return out;
}

/** Checks through an open app (its database, cache and config): database, cache, embedder. */
export async function checkApp(app: { db: Db; cache: Cache; config: Config }): Promise<Check[]> {
  const out: Check[] = [];
  const config = app.config;
  try {
    const t0 = performance.now();
    await app.db.execute('SELECT 1');
    const ms = performance.now() - t0;
    const version = await currentVersion(app.db);
    const quick = app.db.local ? String((await app.db.execute('PRAGMA quick_check')).rows[0]?.quick_check ?? 'unknown') : 'n/a (remote)';
    const size = dbSize(app.db.url);
    out.push({
      name: 'database',
      status: quick === 'ok' || quick.startsWith('n/a') ? 'ok' : 'fail',
      detail: `${app.db.local ? dbFilePath(app.db.url) : 'remote'}; schema ${version}; quick_check ${quick}; ${size === null ? '' : `${human(size)}; `}${ms.toFixed(1)} ms`,
    });
  } catch (err) {
    out.push({ name: 'database', status: 'fail', detail: `unreachable: ${err instanceof Error ? err.message : String(err)}` });
  }
  out.push(await checkWrites(app));

  out.push(await checkCache(app));
  out.push(checkModel(config));
  return out;
}

class ProbeDone extends Error {}

/** Whether the database takes writes: a schema change inside a transaction that is always rolled back. */
async function checkWrites(app: { db: Db }): Promise<Check> {
  try {
    await app.db.transaction(async (tx) => {
      await tx.execute('CREATE TABLE cairn_doctor_write_probe (x)');
      throw new ProbeDone();
    });
  } catch (err) {
    if (err instanceof ProbeDone) return { name: 'writes', status: 'ok', detail: 'a test write (rolled back) succeeded' };
    if (isCairnError(err, 'STORE_BUSY')) return { name: 'writes', status: 'warn', detail: err.message };
    return { name: 'writes', status: 'fail', detail: err instanceof Error ? err.message : String(err) };
  }
  return { name: 'writes', status: 'fail', detail: 'the test write was not rolled back' };
}

/** The cache: in use or not and why, damage found at start-up, and a fresh check of the file. */
async function checkCache(app: { cache: Cache }): Promise<Check> {
  await app.cache.ready();
  const stats = app.cache.stats();
  if (!stats.ok) return { name: 'cache', status: 'warn', detail: `${stats.reason ?? 'not in use'}; Cairn runs without it (slower)` };
  const v = await app.cache.verify();
  const found = stats.damage ? ` — found at start: ${stats.damage.problem} (${stats.damage.action})` : '';
  if (v.state === 'damaged' || v.state === 'unknown') return { name: 'cache', status: 'warn', detail: `${v.problem}${found} — run "cairn cache clear"` };
  const bad = v.corrupt ? `; ${v.corrupt} failing their checksum — run "cairn cache clear"` : '';
  return {
    name: 'cache',
    status: bad || found ? 'warn' : 'ok',
    detail: `${v.entries} entries, ${human(v.bytes)}${v.foreign ? `, ${v.foreign} in an older format` : ''}${bad}${found}`,
  };
}

/** Whether the configured model is available without a download. */
function checkModel(config: Config): Check {
  if (config.embeddings === 'hashing') return { name: 'embedder', status: 'ok', detail: 'hashing embedder (CAIRN_EMBEDDINGS=hashing): no model needed' };
  const runtimeDir = runtimeDirOf(config.home);
  if (!findTransformers({ runtimeDir })) {
    return { name: 'embedder', status: config.embeddings === 'transformers' ? 'fail' : 'warn', detail: runtimeMissing(runtimeDir).message };
  }
  const source = resolveModelSource(config.model, config.modelDir);
  const local = source !== config.model;
  const folder = local ? source : join(config.home, 'models', config.model);
  const present = existsSync(join(folder, 'config.json'));
  if (present) return { name: 'embedder', status: 'ok', detail: `model ${config.model} available at ${folder}` };
  const hard = config.embeddings === 'transformers';
  if (local) return { name: 'embedder', status: 'fail', detail: `no model at ${source} (config.json missing)` };
  if (config.offline) {
    return {
      name: 'embedder',
      status: hard ? 'fail' : 'warn',
      detail: `model ${config.model} is not downloaded and CAIRN_OFFLINE=1 forbids it; ${hard ? 'the server cannot embed' : 'the hashing embedder will be used'} — run "cairn prefetch-model" on a connected machine`,
    };
  }
  return {
    name: 'embedder',
    status: 'warn',
    detail: `model ${config.model} is not downloaded yet; the server fetches it in the background (needs network) or run "cairn prefetch-model"`,
  };
}
