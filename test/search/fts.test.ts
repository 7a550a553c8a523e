import { describe, expect, it } from 'vitest';
import { searchEngineContract } from './contract.js';
import { FACTS, useServers } from './fixtures.js';

searchEngineContract('fts', { engine: 'fts5-bm25+patterns', capabilities: [] });

const { server } = useServers({ env: { CAIRN_SEARCH: 'fts' } });

describe('fts engine (CAIRN_SEARCH=fts)', () => {
  it('ranks by FTS5 bm25 alone, the best match of each type scoring 1', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    await s.call('start_episode', { task: 'Find a dance studio to rent', task_type: 'research', domain: 'business' });
    const q = await s.call('query_memory', { query: 'dance studio', explain: true });
    expect(q.results.map((r) => r.type).sort()).toEqual(['episode', 'memory']);
    for (const r of q.results) {
      expect(Object.keys(r.score_parts!)).toEqual(['bm25', 'relevance']);
      expect(r.score).toBe(1);
    }
  });

  it('stores no vectors, so a misspelling finds nothing', async () => {
    const s = await server();
    for (const f of FACTS) await s.call('remember', { content: f });
    expect((await s.call('query_memory', { query: 'basketbal' })).results).toEqual([]);
    expect(Number((await s.app.db.execute('SELECT COUNT(*) AS n FROM embeddings')).rows[0]!.n)).toBe(0);
  });
});
