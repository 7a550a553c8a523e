import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/prng.js';
import { createAnnRepo } from '../../src/storage/ann-repo.js';
import { searchEngineContract } from './contract.js';
import { FACTS, useServers } from './fixtures.js';

searchEngineContract('sql', { engine: 'sql-hybrid+patterns', capabilities: ['indexWrite'] });

const { server, newHome } = useServers({ env: { CAIRN_SEARCH: 'sql' } });
/** Vectors of `ns` in the 384-d table (created on first use, so absent means none). */
async function stored(s: { app: { db: { execute(sql: string, args?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> } } }, ns = 'default') {
  const table = await s.app.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vec_384'");
  if (table.rows.length === 0) return 0;
  return Number((await s.app.db.execute('SELECT COUNT(*) AS n FROM vec_384 WHERE namespace = ?', [ns])).rows[0]!.n);
}

describe('sql-hybrid engine (CAIRN_SEARCH=sql)', () => {
  it('answers by words and vectors and reports the bm25/vector/rrf parts', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'who opened a dance studio?', explain: true });
    expect(q.results[0]!.content).toMatch(/dance studio/);
    expect(Object.keys(q.results[0]!.score_parts!).sort()).toEqual(['bm25', 'relevance', 'rrf', 'vector']);
    expect(q.results[0]!.score_parts!.bm25).toBeGreaterThan(0);
    expect(q.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });

  it('finds a memory by vector similarity alone (a misspelling FTS5 cannot match)', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'basketbal', limit: 3, explain: true });
    expect(q.results[0]!.content).toMatch(/basketball/);
    expect(q.results[0]!.score_parts!.bm25).toBe(0);
    expect(q.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });

  it('embeds a memory when it is written (indexWrite), before any query', async () => {
    const s = await server();
    await s.call('remember', { content: FACTS[0] });
    await s.call('remember', { content: FACTS[1] });
    expect(await stored(s)).toBe(2);
  });

  it('embeds episodes by the catch-up before a query, so a misspelt query finds one by its vector', async () => {
    const s = await server();
    const mk = async (task: string, domain: string) => (await s.call('start_episode', { task, task_type: 'deployment', domain })).episode_id;
    const a = await mk('Deploy the payments service', 'payments');
    await mk('Deploy the search service', 'search');
    expect(await stored(s)).toBe(0);
    const near = await s.call('query_memory', { query: 'paymnets deploymnet', scope: ['episodes'], explain: true });
    expect(near.results[0]!.id).toBe(a);
    expect(near.results[0]!.score_parts!.vector).toBeGreaterThan(0);
    expect(await stored(s)).toBe(2);
  });

  it('keeps vectors across a restart, per namespace', async () => {
    const home = newHome();
    const a = await server({ home, namespace: 'alice' });
    await a.call('remember', { content: 'Alice keeps her passport in the blue drawer' });
    await a.close();
    const again = await server({ home, namespace: 'alice' });
    expect(await stored(again, 'alice')).toBe(1);
    const q = await again.call('query_memory', { query: 'pasport', explain: true });
    expect(q.results.map((r) => r.content)).toEqual(['Alice keeps her passport in the blue drawer']);
    expect(q.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });
});

describe('ann-repo', () => {
  it('topK through DiskANN equals the exact scan on 200 random vectors, and reports its method', async () => {
    const s = await server();
    const repo = createAnnRepo(s.app.db);
    const rand = mulberry32(7);
    const dim = 16;
    const unit = () => {
      const v = new Float32Array(dim).map(() => rand() * 2 - 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const { id } = await s.call('remember', { content: `note number ${i}` });
      ids.push(id);
    }
    const vecs = ids.map(() => unit());
    await repo.put(
      'default',
      'test-space',
      ids.map((id, i) => ({ itemId: id, itemType: 'memory', vector: vecs[i]! })),
    );
    // Another namespace's rows share the index but never appear.
    await repo.put('other', 'test-space', [{ itemId: 'foreign', itemType: 'memory', vector: vecs[0]! }]);
    for (let t = 0; t < 5; t++) {
      const q = unit();
      const viaIndex = await repo.topK('default', 'test-space', q, 10, ['memory']);
      const exact = await repo.topK('default', 'test-space', q, 10, ['memory'], { exact: true });
      expect(viaIndex.method).toBe('diskann');
      expect(exact.method).toBe('exact');
      const brute = vecs
        .map((v, i) => ({ id: ids[i]!, d: 1 - v.reduce((acc, x, j) => acc + x * q[j]!, 0) }))
        .sort((x, y) => x.d - y.d)
        .slice(0, 10)
        .map((x) => x.id);
      expect(exact.hits.map((h) => h.itemId)).toEqual(brute);
      expect(viaIndex.hits.map((h) => h.itemId)).toEqual(brute);
    }
  });
});
