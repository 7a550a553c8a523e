import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempHome } from '../helpers/client.js';
import { FACTS, useServers } from './fixtures.js';

const { server, newHome } = useServers();

describe('hybrid query_memory', () => {
  it('answers through the hybrid engine and shows every score part', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'who is starting a dance business?' });
    expect(q.engine).toMatch(/^hybrid/);
    expect(q.results[0]!.content).toMatch(/dance studio/);
    expect(Object.keys(q.results[0]!.score_parts!)).toEqual(expect.arrayContaining(['bm25', 'vector', 'rrf', 'recency', 'importance', 'semantic', 'neighbours', 'diversity']));
  });

  it('matches word forms the text does not share exactly (stemming, character n-grams)', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    const q = await s.call('query_memory', { query: 'paintings', limit: 3 });
    expect(q.results[0]!.content).toMatch(/painted a sunrise/);
  });

  it('applies filters: kind, tags (all of them), time range, scope', async () => {
    const s = await server();
    await s.call('remember', { content: 'Standup moved to 10:00 on Mondays', kind: 'fact', tags: ['work', 'meetings'], occurred_at: '2026-01-10T09:00:00Z' });
    await s.call('remember', { content: 'Prefers standup notes in writing', kind: 'preference', tags: ['work'], occurred_at: '2026-03-10T09:00:00Z' });
    await s.call('remember', { content: 'Standup with the running club on Sundays', kind: 'event', tags: ['sport'], occurred_at: '2026-05-10T09:00:00Z' });
    const { episode_id } = await s.call('start_episode', { task: 'Prepare the standup summary', task_type: 'documentation', domain: 'work' });
    const ids = async (args: Record<string, unknown>) => (await s.call('query_memory', { query: 'standup', ...args })).results.map((r) => r.content ?? r.summary);
    expect(await ids({ kinds: ['preference'] })).toEqual(['Prefers standup notes in writing']);
    expect(await ids({ tags: ['work', 'meetings'], scope: ['memories'] })).toEqual(['Standup moved to 10:00 on Mondays']);
    expect(await ids({ since: '2026-04-01T00:00:00Z', scope: ['memories'] })).toEqual(['Standup with the running club on Sundays']);
    expect(await ids({ until: '2026-02-01T00:00:00Z', scope: ['memories'] })).toEqual(['Standup moved to 10:00 on Mondays']);
    const eps = await s.call('query_memory', { query: 'standup', scope: ['episodes'] });
    expect(eps.results.map((r) => r.id)).toEqual([episode_id]);
  });

  it('filters episodes by outcome, task_type and domain, and several outcomes at once', async () => {
    const s = await server();
    const mk = async (task: string, type: string, domain: string, outcome: string) => {
      const { episode_id } = await s.call('start_episode', { task, task_type: type, domain });
      await s.call('complete_episode', { episode_id, outcome: { type: outcome } });
      return episode_id;
    };
    const a = await mk('Deploy the payments service', 'deployment', 'payments', 'success');
    const b = await mk('Deploy the search service', 'deployment', 'search', 'failure');
    const c = await mk('Deploy the mail service', 'deployment', 'mail', 'abstained');
    const q = (extra: Record<string, unknown>) => s.call('query_memory', { query: 'deploy service', scope: ['episodes'], ...extra });
    expect((await q({ outcome: ['failure'] })).results.map((r) => r.id)).toEqual([b]);
    expect((await q({ outcome: ['success', 'abstained'] })).results.map((r) => r.id).sort()).toEqual([a, c].sort());
    expect((await q({ domain: 'payments' })).results.map((r) => r.id)).toEqual([a]);
    expect((await q({ task_type: 'nothing-like-this' })).results).toEqual([]);
  });

  it('bounds responses: limit, compact previews and max_chars', async () => {
    const s = await server();
    for (let i = 0; i < 30; i++) await s.call('remember', { content: `Garden note ${i}: ${'tomatoes need water and sun '.repeat(20)}` });
    const q = await s.call('query_memory', { query: 'tomatoes water', limit: 25, compact: true, max_chars: 1000 });
    expect(q.truncated).toBe(true);
    expect(q.results.reduce((n, r) => n + r.content!.length, 0)).toBeLessThanOrEqual(1000);
    expect(q.results.every((r) => r.content!.length <= 200)).toBe(true);
    expect(JSON.stringify(q).length).toBeLessThan(4000);
  });

  it('sees writes made by another process sharing the database', async () => {
    const home = newHome();
    const a = await server({ home });
    const b = await server({ home });
    await a.call('remember', { content: 'warming the index of server a' });
    expect((await a.call('query_memory', { query: 'warming index' })).results).toHaveLength(1);
    const { id } = await b.call('remember', { content: 'The spare key is under the blue flowerpot' });
    expect((await a.call('query_memory', { query: 'where is the spare key?' })).results[0]!.id).toBe(id);
    await b.call('forget', { id });
    expect((await a.call('query_memory', { query: 'spare key flowerpot' })).results.map((r) => r.id)).not.toContain(id);
  });

  it('keeps vectors across a restart: they are stored in libSQL, not recomputed', async () => {
    const home = newHome();
    const a = await startTestServer({ home });
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
    expect(Number((await b.app.db.execute('SELECT COUNT(*) AS n FROM embeddings')).rows[0]!.n)).toBe(FACTS.length);
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

  it('CAIRN_SEARCH=fts answers with plain SQLite FTS5 BM25', async () => {
    const s = await server({ env: { CAIRN_SEARCH: 'fts' } });
    await s.call('remember', { content: 'plain full text search' });
    const q = await s.call('query_memory', { query: 'full text' });
    expect(q.engine).toMatch(/^fts5-bm25/);
    expect(q.results).toHaveLength(1);
  });
});
