import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRetrievalIndex } from '../../src/retrieval/index.js';
import { createNamespaceIndex } from '../../src/search/namespace-index.js';
import { createVectorRepo } from '../../src/storage/vector-repo.js';
import { tempHome } from '../helpers/client.js';
import { searchEngineContract } from './contract.js';
import { FACTS, useServers } from './fixtures.js';

searchEngineContract('hybrid', { engine: 'hybrid+patterns', capabilities: ['indexWrite', 'reindex', 'stats'] });

const { server, newHome } = useServers();
const count = async (s: { app: { db: { execute(sql: string): Promise<{ rows: Array<Record<string, unknown>> }> } } }) =>
  Number((await s.app.db.execute('SELECT COUNT(*) AS n FROM embeddings')).rows[0]!.n);

describe('hybrid engine', () => {
  it('is the default and shows every score part', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'who is starting a dance business?', explain: true });
    expect(q.engine).toBe('hybrid+patterns');
    expect(q.results[0]!.content).toMatch(/dance studio/);
    expect(Object.keys(q.results[0]!.score_parts!)).toEqual(
      expect.arrayContaining(['bm25', 'vector', 'rrf', 'recency', 'importance', 'semantic', 'neighbours', 'diversity']),
    );
  });

  it('matches word forms the text does not share exactly (stemming, character n-grams)', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'paintings', limit: 3 });
    expect(q.results[0]!.content).toMatch(/painted a sunrise/);
  });

  it('embeds a memory when it is written (indexWrite), before any query', async () => {
    const s = await server();
    await s.call('remember', { content: FACTS[0] });
    await s.call('remember', { content: FACTS[1] });
    expect(await count(s)).toBe(2);
  });

  it('keeps vectors across a restart: they are stored in libSQL, not recomputed', async () => {
    const home = newHome();
    const a = await server({ home });
    for (const f of FACTS) await a.call('remember', { content: f });
    const before = await a.call('query_memory', { query: 'fantasy dragons' });
    const stored = await a.app.db.execute('SELECT COUNT(*) AS n, MIN(embedder_id) AS e FROM embeddings');
    expect(Number(stored.rows[0]!.n)).toBe(FACTS.length);
    expect(String(stored.rows[0]!.e)).toBe('hashing-v1-384');
    await a.close();
    rmSync(`${home}/cache`, { recursive: true, force: true });
    const b = await server({ home });
    const after = await b.call('query_memory', { query: 'fantasy dragons' });
    expect(after.results.map((r) => r.id)).toEqual(before.results.map((r) => r.id));
    expect(await count(b)).toBe(FACTS.length);
  });

  it('reindexes a namespace on demand and reports what it holds (stats)', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    await s.call('start_episode', { task: 'Plan the dance studio opening', task_type: 'planning', domain: 'business' });
    const before = await s.call('query_memory', { query: 'dance studio' });
    expect(s.app.search.stats!()).toEqual({ namespaces: 1, documents: FACTS.length + 1, embedder: 'hashing-v1-384' });
    const done: number[] = [];
    expect(await s.app.search.reindex!('default', (n) => done.push(n))).toEqual({ items: FACTS.length + 1, embedder: 'hashing-v1-384' });
    expect(done.at(-1)).toBe(FACTS.length);
    const after = await s.call('query_memory', { query: 'dance studio' });
    expect(after.results.map((r) => r.id)).toEqual(before.results.map((r) => r.id));
  });

  it('falls back to the hashing embedder, and health_check says which embedder is active and why', async () => {
    const s = await server({ env: { CAIRN_EMBEDDINGS: 'auto', CAIRN_OFFLINE: '1', CAIRN_MODEL_DIR: tempHome('cairn-nomodel-') } });
    await s.call('remember', { content: 'fallback works offline' });
    await s.app.embeddings.ready();
    const h = await s.call('health_check');
    expect(h.embedder).toMatchObject({ active: 'hashing-v1-384', status: 'failed' });
    expect(String(h.embedder!.reason)).toMatch(/.+/);
    expect((await s.call('query_memory', { query: 'offline fallback' })).results[0]!.content).toBe('fallback works offline');
  });
});

describe('namespace index', () => {
  it('resumes from a position and an index it was given, reading only later changes', async () => {
    const s = await server();
    const embedder = s.app.embeddings.active();
    const sources = {
      memories: s.app.repos.memories,
      episodes: s.app.repos.episodes,
      vectors: createVectorRepo(s.app.db),
      clock: s.app.clock,
      logger: s.app.logger,
    };
    const first = await s.call('remember', { content: FACTS[0] });
    await s.call('start_episode', { task: 'Paint the lake', task_type: 'art', domain: 'hobby' });
    const full = createNamespaceIndex('default', embedder, sources);
    expect(full.position()).toEqual({ memories: 0, episodes: 0 });
    await full.catchUp();
    const at = full.position();
    expect(at.memories).toBeGreaterThan(0);
    expect(at.episodes).toBeGreaterThan(0);

    // A copy that holds only what `full` held, resumed at its position, gets the later changes.
    const saved = createRetrievalIndex({ dim: embedder.dim });
    saved.add([{ id: first.id, type: 'memory', text: FACTS[0]!, occurredAt: 0, createdAt: 0, importance: 0.5, tags: [] }]);
    const resumed = createNamespaceIndex('default', embedder, sources, {}, { index: saved, position: at });
    const later = await s.call('remember', { content: FACTS[1] });
    await s.call('forget', { id: first.id });
    await resumed.catchUp();
    expect(resumed.index).toBe(saved);
    expect(saved.has(later.id)).toBe(true);
    expect(saved.has(first.id)).toBe(false);
    expect(saved.size).toBe(1);
    expect(resumed.position().memories).toBeGreaterThan(at.memories);
    expect(resumed.position().episodes).toBe(at.episodes);
  });
});
