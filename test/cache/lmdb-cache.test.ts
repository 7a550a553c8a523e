import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { recordCopies } from '../../scripts/lib/cache-damage.js';
import { silentLogger } from '../../src/logger.js';
import { type CacheChecker, checkCacheFile } from '../../src/storage/cache-check.js';
import { createLmdbCache } from '../../src/storage/lmdb-cache.js';
import type { Cache } from '../../src/storage/types.js';
import { tempHome } from '../helpers/client.js';

const dirs: string[] = [];
const caches: Cache[] = [];
afterEach(async () => {
  for (const c of caches.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempHome('cairn-cache-');
  dirs.push(d);
  return d;
};
const open = async (d: string, checker?: CacheChecker) => {
  const c = createLmdbCache({ dir: d, logger: silentLogger, ...(checker ? { checker } : {}) });
  caches.push(c);
  return c;
};
const episode = { id: 'e1', steps: [{ action: 'act 3 of 0', output: 'first output' }], reward: 0.5 };

/** Fills a cache folder with records, closed again. */
async function seeded(d: string, n = 40): Promise<void> {
  const c = createLmdbCache({ dir: d, logger: silentLogger });
  await c.ready();
  for (let i = 0; i < n; i++) await c.put(`episode:default:e${i}`, { ...episode, id: `e${i}` }, 'episode@1');
  await c.close();
}

describe('LMDB cache records', () => {
  it('round-trips JSON and bytes by version; another version is a counted miss', async () => {
    const c = await open(dir());
    await c.ready();
    await c.put('episode:default:e1', episode, 'episode@1');
    await c.put('emb:x:1', Float32Array.of(1, 2, 3), 'f32x3');
    expect(c.get('episode:default:e1', 'episode@1')).toEqual(episode);
    expect([...new Float32Array(new Uint8Array(c.get<Uint8Array>('emb:x:1', 'f32x3')!).buffer)]).toEqual([1, 2, 3]);
    expect(c.get('episode:default:e1', 'episode@2')).toBeUndefined();
    expect(c.stats()).toMatchObject({ ok: true, state: 'ok', hits: 2, misses: 1, stale: 1, corrupt: 0 });
  });

  it('a bit flipped in a stored record is a miss, counted and dropped, never wrong data', async () => {
    const d = dir();
    const c = await open(d);
    await c.ready();
    await c.put('episode:default:e1', episode, 'episode@1');
    const file = join(d, 'cache.mdb');
    const at = readFileSync(file).indexOf('act 3 of 0');
    expect(at).toBeGreaterThan(0);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('act 2'), 0, 5, at); // one bit: '3' (0x33) → '2' (0x32)
    expect(c.get('episode:default:e1', 'episode@1')).toBeUndefined();
    expect(c.stats()).toMatchObject({ corrupt: 1, misses: 1, hits: 0 });
    await c.put('episode:default:e1', episode, 'episode@1');
    expect(c.get('episode:default:e1', 'episode@1')).toEqual(episode);
  });
});

describe('LMDB cache start-up', () => {
  it('answers misses until the existing file is checked, then serves it', async () => {
    const d = dir();
    await seeded(d);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = await open(d, (f) => {
      const real = checkCacheFile(f);
      return { done: gate.then(() => real.done), cancel: real.cancel };
    });
    expect(c.stats()).toMatchObject({ ok: false, state: 'checking', reason: expect.stringMatching(/checking .*cache\.mdb/) });
    expect(c.get('episode:default:e1', 'episode@1')).toBeUndefined();
    await c.put('episode:default:new', episode, 'episode@1');
    release();
    await c.ready();
    expect(c.stats()).toMatchObject({ ok: true, state: 'ok', entries: 40 });
    expect(c.get('episode:default:e1', 'episode@1')).toEqual({ ...episode, id: 'e1' });
    expect(c.get('episode:default:new', 'episode@1')).toBeUndefined();
  });

  it('moves a truncated file aside unopened and rebuilds an empty cache', async () => {
    const d = dir();
    await seeded(d);
    truncateSync(join(d, 'cache.mdb'), 4096);
    const c = await open(d);
    await c.ready();
    const s = c.stats();
    expect(s).toMatchObject({ ok: true, state: 'ok', entries: 0 });
    expect(s.damage?.problem).toMatch(/4096 bytes, shorter than its two meta pages/);
    expect(s.damage?.action).toMatch(/moved to .*cache\.mdb\.damaged-.*; rebuilt empty/);
    expect(readdirSync(d).filter((f) => f.startsWith('cache.mdb.damaged-'))).toHaveLength(1);
    await c.put('episode:default:e1', episode, 'episode@1');
    expect(c.get('episode:default:e1', 'episode@1')).toEqual(episode);
  });

  it('a flipped bit that puts a key out of order is damage: the file is moved aside (LMDB could no longer find the record to drop it)', async () => {
    const d = dir();
    await seeded(d);
    const file = join(d, 'cache.mdb');
    const bytes = readFileSync(file);
    for (const at of recordCopies(file, 'episode:default:e17')) bytes[at.key + 5]! ^= 0x80;
    writeFileSync(file, bytes);
    const c = await open(d);
    await c.ready();
    expect(c.stats().damage?.problem).toMatch(/key of node \d+ on page \d+ \(main database\) is out of order/);
    expect(await c.verify()).toMatchObject({ state: 'ok', corrupt: 0, entries: 0 });
  });

  it('drops a record whose key bit flip keeps it in order, so the file checks clean afterwards', async () => {
    const d = dir();
    await seeded(d);
    const file = join(d, 'cache.mdb');
    const bytes = readFileSync(file);
    // e9 is the last key; '9' (0x39) → 'y' (0x79) keeps it last, so LMDB still finds it.
    for (const at of recordCopies(file, 'episode:default:e9')) bytes[at.key + 'c1:episode:default:e9'.length - 1]! ^= 0x40;
    writeFileSync(file, bytes);
    const c = await open(d);
    await c.ready();
    expect(c.stats()).toMatchObject({ ok: true, corrupt: 1, entries: 39, damage: { action: 'removed' } });
    expect(await c.verify()).toMatchObject({ state: 'ok', corrupt: 0, entries: 39 });
    expect(c.get('episode:default:e8', 'episode@1')).toEqual({ ...episode, id: 'e8' });
  });

  it('a file that cannot be checked leaves the cache disabled with a reason; clear() deletes it unopened', async () => {
    const d = dir();
    await seeded(d);
    const c = await open(d, () => ({
      done: Promise.resolve({ state: 'unknown', problem: 'checker not found', entries: 0, corrupt: 0, corruptKeys: [], foreign: 0, bytes: 0, ino: 0 }),
      cancel() {},
    }));
    await c.ready();
    expect(c.stats()).toMatchObject({ ok: false, state: 'disabled', reason: expect.stringMatching(/cannot check .*checker not found/) });
    await c.clear();
    expect(c.stats()).toMatchObject({ ok: true, state: 'ok', entries: 0 });
  });

  it('a failed LMDB commit is counted and disables the cache, not an unhandled rejection that ends the process', async () => {
    const d = dir();
    await seeded(d, 200);
    const c = createLmdbCache({ dir: d, logger: silentLogger });
    await c.ready();
    for (let i = 0; i < 100; i++) await c.remove(`episode:default:e${i}`);
    await c.close();
    // Point the free list of both meta pages past the end: reads still work, every commit fails
    // with MDB_PAGE_NOTFOUND. The check is skipped on purpose, as if the file broke while in use.
    const file = join(d, 'cache.mdb');
    const head = readFileSync(file);
    const pageSize = head.readUInt32LE(48);
    const fd = openSync(file, 'r+');
    for (const base of [0, pageSize]) {
      const bogus = Buffer.alloc(8);
      bogus.writeBigUInt64LE(head.readBigUInt64LE(base + 144) + 50n);
      writeSync(fd, bogus, 0, 8, base + 88);
    }
    const dist = (p: string) => fileURLToPath(new URL(`../../dist/src/${p}`, import.meta.url));
    const script = `
      const { createLmdbCache } = await import(${JSON.stringify(dist('storage/lmdb-cache.js'))});
      const { silentLogger } = await import(${JSON.stringify(dist('logger.js'))});
      const ok = { done: Promise.resolve({ state: 'ok', entries: 0, corrupt: 0, corruptKeys: [], foreign: 0, bytes: 0, ino: 0 }), cancel() {} };
      const c = createLmdbCache({ dir: ${JSON.stringify(d)}, logger: silentLogger, checker: () => ok });
      await c.ready();
      const read = c.get('episode:default:e150', 'episode@1');
      await c.put('episode:default:new', { a: 1 }, 'episode@1');
      await new Promise((r) => setTimeout(r, 300));
      const after = c.get('episode:default:e150', 'episode@1');
      await c.close();
      const s = c.stats();
      process.stdout.write(JSON.stringify({ read: read?.id, after: after?.id ?? null, errors: s.errors }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.read).toBe('e150');
    // After a failed commit the process stops using the file: the next start checks it again.
    expect(out.after).toBeNull();
    expect(out.errors).toBeGreaterThanOrEqual(1);
    expect(existsSync(file)).toBe(true);
  });
});
