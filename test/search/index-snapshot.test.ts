import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestModel, type TestModel } from '../../scripts/make-test-model.js';
import { uuidv7 } from '../../src/ids.js';
import { contentHash } from '../../src/memory/text.js';
import { INDEX_FORMAT } from '../../src/retrieval/index.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';
import type { ToolName } from '../helpers/tool-outputs.js';
import { FACTS } from './fixtures.js';
import { describe as named, snapshotFiles, snapshotFolder, snapshotFolderFiles } from './snapshot-records.js';

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

  it('keeps a superseded memory hidden through a snapshot, before and after it was saved', async () => {
    const home = newHome();
    const a = await child(home);
    const tea = await a.call('remember', { content: 'Dana prefers green tea in the morning', kind: 'preference' });
    const coffee = await a.call('remember', { content: 'Dana now prefers black coffee in the morning', kind: 'preference', supersedes: [tea.id] });
    expect(await ids(a, 'what does Dana drink in the morning?')).toEqual([coffee.id]);
    await a.close();

    const b = await child(home);
    expect(await index(b)).toBeNull();
    expect(await ids(b, 'what does Dana drink in the morning?')).toEqual([coffee.id]);
    expect(await index(b)).toMatchObject({ source: 'snapshot', caught_up: 0 });
    const both = (await b.call('query_memory', { query: 'what does Dana drink in the morning?', include_superseded: true })).results.map((r) => r.id);
    expect(both.sort()).toEqual([tea.id, coffee.id].sort());
    // Superseded after the snapshot was saved: caught up, and hidden too.
    const juice = await b.call('remember', { content: 'Dana switched to orange juice in the morning', kind: 'preference', supersedes: [coffee.id] });
    expect(await ids(b, 'what does Dana drink in the morning?')).toEqual([juice.id]);
  });

  it('rebuilds, never fails, when bytes of a stored snapshot are flipped, and saves a sound one', async () => {
    const home = newHome();
    const first = await seeded(home);
    const [file] = snapshotFiles(home);
    const bytes = readFileSync(file!);
    for (const at of [bytes.length >> 1, bytes.length - 3]) bytes[at] = bytes[at]! ^ 0x5a;
    writeFileSync(file!, bytes);
    const b = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(b, q)).toEqual(want);
    expect(await index(b)).toMatchObject({ source: 'rebuilt', documents: FACTS.length });
    expect(b.stderr()).toMatch(/index snapshot unusable/);
    await b.close();
    const c = await child(home);
    for (const [q, want] of Object.entries(first.ids)) expect(await ids(c, q)).toEqual(want);
    expect(await index(c)).toMatchObject({ source: 'snapshot' });
  });

  it('treats a truncated snapshot, a damaged header or a snapshot of another format as absent', async () => {
    const home = newHome();
    await seeded(home);
    const damage: Array<(file: string) => void> = [
      (file) => truncateSync(file, Math.floor(readFileSync(file).length / 2)),
      (file) => {
        const bytes = readFileSync(file);
        bytes[20] = bytes[20]! ^ 0x01;
        writeFileSync(file, bytes);
      },
      (file) => renameSync(file, file.replace(/-f\d+-/, '-f0-')),
    ];
    for (const harm of damage) {
      const [file] = snapshotFiles(home).filter((f) => named(f).format !== 0);
      harm(file!);
      const b = await child(home);
      expect((await ids(b, 'dance studio'))[0]).toBeDefined();
      expect(await index(b)).toMatchObject({ source: 'rebuilt' });
      await b.close();
    }
    // The rebuilt index's save left one sound snapshot, and pruned the one of another format.
    expect(snapshotFiles(home).map((f) => named(f).format)).toEqual([named(snapshotFiles(home)[0]!).format]);
    expect(named(snapshotFiles(home)[0]!).format).not.toBe(0);
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

    // One snapshot per space: the hashing one and the model's.
    expect(new Set(snapshotFiles(home).map((f) => named(f).space)).size).toBe(2);
    expect(snapshotFiles(home)).toHaveLength(2);
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

  it('keeps one snapshot per embedder: a newer one replaces the older; abandoned, stale and foreign files are deleted', async () => {
    const home = newHome();
    server = await startTestServer({ home });
    await insert(server, 1200, 0);
    await server.call('query_memory', { query: 'green kite' });
    await server.close();
    const first = snapshotFiles(home);
    expect(first.map(named)).toMatchObject([{ memories: 1200, episodes: 0 }]);

    // 1,100 changes past the snapshot: the next one is due, saved at close, and replaces it.
    server = await startTestServer({ home });
    await insert(server, 1100, 1200);
    await server.call('query_memory', { query: 'blue kite' });
    expect(server.app.search.indexStats?.('default')).toMatchObject({ source: 'snapshot', caughtUp: 1100 });
    await server.close();
    const second = snapshotFiles(home);
    expect(second.map(named)).toMatchObject([{ memories: 2300, episodes: 0 }]);
    expect(snapshotFolderFiles(home)).toHaveLength(1);

    // Left behind: a writer that died an hour ago, one still writing, a snapshot of an older
    // format, an older snapshot of the same space and one of a space saved to long ago.
    const dir = snapshotFolder(home);
    const { space } = named(second[0]!);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const plant = (name: string, old = false) => {
      writeFileSync(join(dir, name), 'left behind');
      if (old) utimesSync(join(dir, name), hourAgo, hourAgo);
    };
    plant(`.${space}-f${INDEX_FORMAT}-5-0-deadbeef.snap.999.tmp`, true);
    plant(`.${space}-f${INDEX_FORMAT}-6-0-0badcafe.snap.998.tmp`);
    plant(`${space}-f0-9999-0-00000000.snap`);
    plant(`${space}-f${INDEX_FORMAT}-7-0-11111111.snap`);
    plant(`${'0'.repeat(16)}-f${INDEX_FORMAT}-9-0-22222222.snap`, true);
    plant(`${'1'.repeat(16)}-f${INDEX_FORMAT}-9-0-33333333.snap`, true);
    server = await startTestServer({ home });
    await server.app.search.reindex!('default');
    await server.close();
    const third = snapshotFiles(home);
    expect(third).toHaveLength(2);
    expect(third.map(named).filter((d) => d.space === space)).toMatchObject([{ memories: 2300 }]);
    // Kept: the newest snapshot, the newer of the two other spaces, and the temporary file of a writer still at work.
    expect(snapshotFolderFiles(home).filter((f) => f.endsWith('.tmp'))).toEqual([`.${space}-f${INDEX_FORMAT}-6-0-0badcafe.snap.998.tmp`]);
  });
});
