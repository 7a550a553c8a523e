import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestModel, type TestModel } from '../../scripts/make-test-model.js';
import { contentHash } from '../../src/memory/text.js';
import { uuidv7 } from '../../src/ids.js';
import { startTestServer, tempHome, type TestServer } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';
import type { ToolName } from '../helpers/tool-outputs.js';
import { FACTS } from './fixtures.js';
import { catalog, snapshotKeys, withCache } from './snapshot-records.js';

const homes: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const newHome = () => {
  const h = tempHome('cairn-snap-');
  homes.push(h);
  return h;
};

/** A `cairn` child over stdio; `close()` ends it (a due snapshot is saved before it exits). */
async function child(home: string, env: Record<string, string> = {}) {
  const c = await spawnCairn(home, env);
  let closed = false;
  const session = {
    call: <N extends ToolName>(name: N, args: Record<string, unknown> = {}) => callOk(c.client, name, args),
    stderr: c.stderr,
    async close() {
      if (closed) return;
      closed = true;
      await c.client.close();
    },
  };
  open.push(session);
  return session;
}

type Session = Awaited<ReturnType<typeof child>>;
const index = async (s: Session) => (await s.call('health_check')).search?.index;
const ids = async (s: Session, query: string) => (await s.call('query_memory', { query })).results.map((r) => r.id);

/** Writes the facts, queries once (the index is built and saved at close) and closes. */
async function seeded(home: string): Promise<{ ids: Record<string, string[]>; memoryIds: string[] }> {
  const a = await child(home);
  const memoryIds: string[] = [];
  for (const f of FACTS) memoryIds.push((await a.call('remember', { content: f })).id);
  const out: Record<string, string[]> = {};
  for (const q of ['who is starting a dance business?', 'fantasy dragons', 'adoption']) out[q] = await ids(a, q);
  expect(await index(a)).toMatchObject({ source: 'rebuilt', documents: FACTS.length });
  await a.close();
  return { ids: out, memoryIds };
}

describe('index snapshots across processes', () => {
  it('a second process loads the snapshot the first saved, without rebuilding, and answers alike', async () => {
    const home = newHome();
    const first = await seeded(home);
    const b = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(b, q)).toEqual(want);
    const stats = await index(b);
    expect(stats).toMatchObject({ source: 'snapshot', documents: FACTS.length, caught_up: 0, embedder: 'hashing-v1-384' });
    expect(stats?.saved?.position).toEqual(stats?.position);
    expect(stats?.saved?.bytes).toBeGreaterThan(0);
  });

  it('catches up from the snapshot with what other processes and itself wrote after it, forgets included', async () => {
    const home = newHome();
    const { memoryIds } = await seeded(home);
    const writer = await child(home);
    const added = await writer.call('remember', { content: 'Priya adopted a retired greyhound named Comet' });
    await writer.call('forget', { id: memoryIds[4] });
    await writer.close();

    const b = await child(home);
    expect((await ids(b, 'greyhound Comet'))[0]).toBe(added.id);
    expect(await ids(b, 'fantasy dragons wizards')).not.toContain(memoryIds[4]);
    expect(await index(b)).toMatchObject({ source: 'snapshot', documents: FACTS.length, caught_up: 2 });

    // While b runs: a write by another process, then one of its own.
    const other = await child(home);
    const late = await other.call('remember', { content: 'Omar repaired the lighthouse lantern at dawn' });
    await other.close();
    expect((await ids(b, 'lighthouse lantern'))[0]).toBe(late.id);
    const own = await b.call('remember', { content: 'Lena bakes sourdough bread on Sundays' });
    expect((await ids(b, 'sourdough bread'))[0]).toBe(own.id);
    expect(await index(b)).toMatchObject({ source: 'snapshot', documents: FACTS.length + 2 });
  });

  it('rebuilds, never fails, when a stored snapshot is damaged, and saves a sound one', async () => {
    const home = newHome();
    const first = await seeded(home);
    await withCache(home, (cache) => {
      const [entry] = catalog(cache);
      expect(entry).toBeDefined();
      const key = `${entry!.key}:0`;
      const chunk = Buffer.from(cache.get<Uint8Array>(key)!);
      for (const at of [0, 100, chunk.length >> 1, chunk.length - 1]) chunk[at] = chunk[at]! ^ 0x5a;
      return cache.put(key, chunk);
    });
    const b = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(b, q)).toEqual(want);
    expect(await index(b)).toMatchObject({ source: 'rebuilt', documents: FACTS.length });
    expect(b.stderr()).toMatch(/index snapshot unusable/);
    await b.close();
    const c = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(c, q)).toEqual(want);
    expect(await index(c)).toMatchObject({ source: 'snapshot' });
  });

  it('treats a missing chunk or a snapshot of another format as absent', async () => {
    const home = newHome();
    await seeded(home);
    await withCache(home, async (cache) => {
      const [entry] = catalog(cache);
      await cache.remove(`${entry!.key}:0`);
    });
    const b = await child(home);
    expect((await ids(b, 'dance studio'))[0]).toBeDefined();
    expect(await index(b)).toMatchObject({ source: 'rebuilt' });
    await b.close();
    await withCache(home, async (cache) => {
      const entries = catalog(cache);
      expect(entries).toHaveLength(1);
      await cache.put('idx:default', { entries: entries.map((e) => ({ ...e, format: 0 })) });
    });
    const c = await child(home);
    expect((await ids(c, 'dance studio'))[0]).toBeDefined();
    expect(await index(c)).toMatchObject({ source: 'rebuilt' });
  });
});

describe('index snapshots and databases', () => {
  const dbFiles = ['cairn.db', 'cairn.db-wal', 'cairn.db-shm'];

  it('never loads a snapshot over another database, nor over a copy restored from before it', async () => {
    const home = newHome();
    const saved = newHome();
    const a = await child(home);
    const early = (await a.call('remember', { content: FACTS[0] })).id;
    await a.close();
    for (const f of dbFiles) if (existsSync(join(home, f))) copyFileSync(join(home, f), join(saved, f));
    await seeded(home);

    // The database as it was before the snapshot: the snapshot is ahead of it.
    for (const f of dbFiles) rmSync(join(home, f), { force: true });
    for (const f of dbFiles) if (existsSync(join(saved, f))) copyFileSync(join(saved, f), join(home, f));
    const b = await child(home);
    expect(await ids(b, 'painted a sunrise over the lake')).toEqual([early]);
    expect(await index(b)).toMatchObject({ source: 'rebuilt', documents: 1 });
    await b.close();

    // A new database under the same cache: its change sequences start again.
    for (const f of dbFiles) rmSync(join(home, f), { force: true });
    const c = await child(home);
    const fresh = (await c.call('remember', { content: 'Nadia tunes pianos in the old conservatory' })).id;
    expect(await ids(c, 'Nadia pianos conservatory')).toEqual([fresh]);
    expect(await ids(c, 'dance studio')).not.toContain(early);
    expect(await index(c)).toMatchObject({ source: 'rebuilt', documents: 1 });
  });
});

describe('index snapshots and embedders', () => {
  let tiny: TestModel;
  let dir: string;
  beforeAll(() => {
    dir = tempHome('cairn-snap-model-');
    tiny = makeTestModel({ outDir: join(dir, 'tiny-bert'), hiddenSize: 32, seed: 3 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Waits until the namespace index is in the model's space. */
  const inModelSpace = async (s: Session) => {
    for (let i = 0; i < 200; i++) {
      await s.call('query_memory', { query: 'dance' });
      const stats = await index(s);
      if (stats?.embedder === `transformers:${tiny.dir}`) return stats;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the index never moved to the model');
  };

  it('keys snapshots by embedder: a model index never loads a hashing snapshot, and each space keeps its own', async () => {
    const home = newHome();
    const first = await seeded(home);
    const model = { CAIRN_EMBEDDINGS: 'auto', CAIRN_MODEL: tiny.dir, CAIRN_OFFLINE: '1' };

    const b = await child(home, model);
    expect(await inModelSpace(b)).toMatchObject({ source: 'rebuilt', documents: FACTS.length });
    expect(await ids(b, 'who is starting a dance business?')).toHaveLength(FACTS.length);
    await b.close();

    const c = await child(home, model);
    expect(await inModelSpace(c)).toMatchObject({ source: 'snapshot', documents: FACTS.length });
    await c.close();

    const d = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(d, q)).toEqual(want);
    expect(await index(d)).toMatchObject({ source: 'snapshot', embedder: 'hashing-v1-384' });
    await d.close();

    const entries = await withCache(home, (cache) => catalog(cache));
    expect(entries.map((e) => e.embedder).sort()).toEqual(['hashing-v1-384', `transformers:${tiny.dir}`]);
  });
});

describe('index snapshots are bounded', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Memories written straight through the repository (fast), as another process would. */
  async function insert(s: TestServer, n: number, from: number) {
    const now = Date.now();
    for (let i = from; i < from + n; i++) {
      const content = `note ${i}: the ${['red', 'green', 'blue'][i % 3]} kite number ${i * 7}`;
      await s.app.repos.memories.insert({
        id: uuidv7(),
        namespace: 'default',
        content,
        kind: 'note',
        tags: [],
        importance: 0.5,
        occurredAt: now,
        source: null,
        metadata: {},
        contentHash: contentHash(content, 'note', now),
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletedReason: null,
      });
    }
  }

  it('keeps one snapshot per embedder: a newer one replaces the older, abandoned and foreign ones are deleted', async () => {
    const home = newHome();
    server = await startTestServer({ home });
    await insert(server, 1200, 0);
    await server.call('query_memory', { query: 'green kite' });
    await server.close();
    const first = await withCache(home, (cache) => catalog(cache));
    expect(first).toMatchObject([{ state: 'ready', position: { memories: 1200 } }]);

    // 1,100 changes past the snapshot: the next one is due, saved at close, and replaces it.
    server = await startTestServer({ home });
    await insert(server, 1100, 1200);
    await server.call('query_memory', { query: 'blue kite' });
    expect(server.app.search.indexStats?.('default')).toMatchObject({ source: 'snapshot', caughtUp: 1100 });
    await server.close();
    const second = await withCache(home, (cache) => catalog(cache));
    expect(second).toMatchObject([{ state: 'ready', position: { memories: 2300 } }]);
    const live = (e: { key: string; chunks: number }) => [`${e.key}:h`, ...Array.from({ length: e.chunks }, (_, i) => `${e.key}:${i}`)];
    const expected = (entries: typeof second) => ['idx:default', ...entries.flatMap(live)].sort();
    expect(snapshotKeys(home).sort()).toEqual(expected(second));

    // A writer that died midway, and a snapshot of an older format, both leave records behind.
    const dead = { ...second[0]!, key: 'idx:default:hashing-v1-384:1.0:dead', state: 'writing' as const, savedAt: Date.now() - 3_600_000, chunks: 2 };
    const old = { ...second[0]!, key: 'idx:default:hashing-v1-384:2.0:0ld0', format: 0, chunks: 1 };
    await withCache(home, async (cache) => {
      for (const key of [...live(dead), ...live(old)]) await cache.put(key, Buffer.from('left behind'));
      await cache.put('idx:default', { entries: [...second, dead, old] });
    });
    server = await startTestServer({ home });
    await server.app.search.reindex!('default');
    await server.close();
    const third = await withCache(home, (cache) => catalog(cache));
    expect(third).toHaveLength(1);
    expect(third[0]!.key).not.toBe(second[0]!.key);
    expect(snapshotKeys(home).sort()).toEqual(expected(third));
  });
});
