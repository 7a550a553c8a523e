import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/prng.js';
import { createAnnRepo } from '../../src/storage/ann-repo.js';

import { FACTS, useServers } from './fixtures.js';

const { server, newHome } = useServers({ env: { CAIRN_SEARCH: 'sql' } });

describe('sql-hybrid query_memory (CAIRN_SEARCH=sql)', () => {
  it('answers by words, reports the engine and the bm25/vector/rrf parts', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'who opened a dance studio?' });
    expect(q.engine).toMatch(/^sql-hybrid/);
    expect(q.results[0]!.content).toMatch(/dance studio/);
    expect(Object.keys(q.results[0]!.score_parts!).sort()).toEqual(['bm25', 'rrf', 'vector']);
    expect(q.results[0]!.score_parts!.bm25).toBeGreaterThan(0);
    expect(q.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });

  it('finds a memory by vector similarity alone (a misspelling FTS5 cannot match)', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'basketbal', limit: 3 });
    expect(q.results[0]!.content).toMatch(/basketball/);
    expect(q.results[0]!.score_parts!.bm25).toBe(0);
    expect(q.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });

  it('applies filters in SQL: kind, tags (all of them), time range, scope, episode fields', async () => {
    const s = await server();
    await s.call('remember', { content: 'Standup moved to 10:00 on Mondays', kind: 'fact', tags: ['work', 'meetings'], occurred_at: '2026-01-10T09:00:00Z' });
    await s.call('remember', { content: 'Prefers standup notes in writing', kind: 'preference', tags: ['work'], occurred_at: '2026-03-10T09:00:00Z' });
    await s.call('remember', { content: 'Standup with the running club on Sundays', kind: 'event', tags: ['sport'], occurred_at: '2026-05-10T09:00:00Z' });
    const texts = async (args: Record<string, unknown>) => (await s.call('query_memory', { query: 'standup', scope: ['memories'], ...args })).results.map((r) => r.content);
    expect(await texts({ kinds: ['preference'] })).toEqual(['Prefers standup notes in writing']);
    expect(await texts({ tags: ['work', 'meetings'] })).toEqual(['Standup moved to 10:00 on Mondays']);
    expect(await texts({ since: '2026-04-01T00:00:00Z' })).toEqual(['Standup with the running club on Sundays']);
    expect(await texts({ until: '2026-02-01T00:00:00Z' })).toEqual(['Standup moved to 10:00 on Mondays']);

    const mk = async (task: string, domain: string, outcome: string) => {
      const { episode_id } = await s.call('start_episode', { task, task_type: 'deployment', domain });
      await s.call('complete_episode', { episode_id, outcome: { type: outcome } });
      return episode_id;
    };
    const a = await mk('Deploy the payments service', 'payments', 'success');
    const b = await mk('Deploy the search service', 'search', 'failure');
    const eps = async (extra: Record<string, unknown>) => (await s.call('query_memory', { query: 'deploy service', scope: ['episodes'], ...extra })).results.map((r) => r.id);
    expect(await eps({ outcome: ['failure'] })).toEqual([b]);
    expect(await eps({ domain: 'payments' })).toEqual([a]);
    expect(await eps({ task_type: 'nothing-like-this' })).toEqual([]);
    // Episodes are embedded by the catch-up before a query: a misspelt query still finds one.
    const near = await s.call('query_memory', { query: 'paymnets deploymnet', scope: ['episodes'] });
    expect(near.results[0]!.id).toBe(a);
    expect(near.results[0]!.score_parts!.vector).toBeGreaterThan(0);
  });

  it('keeps namespaces of one database apart and keeps vectors across a restart', async () => {
    const home = newHome();
    const a = await server({ home, namespace: 'alice' });
    const b = await server({ home, namespace: 'bob' });
    await a.call('remember', { content: 'Alice keeps her passport in the blue drawer' });
    await b.call('remember', { content: 'Bob keeps his passport in the kitchen cabinet' });
    expect((await a.call('query_memory', { query: 'passport' })).results.map((r) => r.content)).toEqual(['Alice keeps her passport in the blue drawer']);
    expect((await b.call('query_memory', { query: 'pasport' })).results.map((r) => r.content)).toEqual(['Bob keeps his passport in the kitchen cabinet']);
    await a.close();
    await b.close();

    const again = await server({ home, namespace: 'alice' });
    const client = createClient({ url: `file:${home}/cairn.db` });
    try {
      const stored = await client.execute("SELECT COUNT(*) AS n FROM vec_384 WHERE namespace = 'alice'");
      expect(Number(stored.rows[0]!.n)).toBe(1);
    } finally {
      client.close();
    }
    const q = await again.call('query_memory', { query: 'pasport' });
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
    await repo.put('default', 'test-space', ids.map((id, i) => ({ itemId: id, itemType: 'memory', vector: vecs[i]! })));
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
