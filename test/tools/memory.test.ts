import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
beforeEach(async () => {
  s = await startTestServer();
});
afterEach(async () => {
  await s.close();
});

describe('remember', () => {
  it('stores a memory and finds it with query_memory', async () => {
    const r = await s.call('remember', { content: 'Alice prefers oat milk in her coffee', kind: 'preference', tags: ['alice'] });
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.deduplicated).toBe(false);
    const q = await s.call('query_memory', { query: 'what milk does Alice like?' });
    expect(q.results[0]).toMatchObject({ type: 'memory', id: r.id, content: 'Alice prefers oat milk in her coffee', kind: 'preference', tags: ['alice'] });
    expect(q.results[0]!.score_parts).toBeUndefined();
    const explained = await s.call('query_memory', { query: 'what milk does Alice like?', explain: true });
    expect(Object.values(explained.results[0]!.score_parts!).every((v) => typeof v === 'number')).toBe(true);
    expect(explained.results[0]!.importance).toBe(0.5);
  });

  it('returns the existing id for an exact duplicate (normalised white space and case)', async () => {
    const a = await s.call('remember', { content: 'The deploy key lives in 1Password', kind: 'fact' });
    const b = await s.call('remember', { content: '  the deploy   key lives in 1password ', kind: 'fact' });
    expect(b).toMatchObject({ id: a.id, deduplicated: true });
    const c = await s.call('remember', { content: 'The deploy key lives in 1Password', kind: 'note' });
    expect(c.deduplicated).toBe(false);
    const d = await s.call('remember', { content: 'The deploy key lives in 1Password', kind: 'fact', occurred_at: '2026-01-02T10:00:00Z' });
    expect(d.deduplicated).toBe(false);
    expect((await s.call('health_check')).counts.memories).toBe(3);
  });

  it('accepts an upcoming event: occurred_at may lie in the future, unlike the time of an action', async () => {
    const next = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const r = await s.call('remember', { content: 'Dentist appointment with Dr Lee', kind: 'event', occurred_at: next });
    const found = await s.call('query_memory', { query: 'dentist appointment', since: new Date().toISOString() });
    expect(found.results.map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect(found.results[0]!.occurred_at).toBe(next);
  });

  it('rejects blank content with a clear error and stores nothing', async () => {
    const err = await s.callError('remember', { content: '   ' });
    expect(err).toBeCairnError('INVALID_INPUT', /^content/);
    expect((await s.call('health_check')).counts.memories).toBe(0);
  });
});

describe('forget', () => {
  it('soft-deletes, hides from queries, and restores', async () => {
    const { id } = await s.call('remember', { content: 'Project Falcon launches in March' });
    expect(await s.call('forget', { id, reason: 'outdated' })).toEqual({ id, status: 'forgotten' });
    expect((await s.call('query_memory', { query: 'Falcon launch' })).results).toHaveLength(0);
    expect(await s.callError('forget', { id })).toBeCairnError('CONFLICT', /already forgotten/);
    expect(await s.call('forget', { id, restore: true })).toEqual({ id, status: 'restored' });
    expect((await s.call('query_memory', { query: 'Falcon launch' })).results[0]!.id).toBe(id);
  });

  it('gives NOT_FOUND for an unknown id and changes nothing', async () => {
    await s.call('remember', { content: 'keep me' });
    expect(await s.callError('forget', { id: '0190aaaa-0000-7000-8000-000000000000' })).toBeCairnError('NOT_FOUND', /^id: no memory/);
    expect((await s.call('health_check')).counts).toMatchObject({ memories: 1, forgotten: 0 });
  });

  it('keeps a forgotten duplicate from blocking a new identical memory', async () => {
    const a = await s.call('remember', { content: 'same text' });
    await s.call('forget', { id: a.id });
    const b = await s.call('remember', { content: 'same text' });
    expect(b.deduplicated).toBe(false);
    expect(await s.callError('forget', { id: a.id, restore: true })).toBeCairnError('CONFLICT', /id: an identical live memory exists/);
  });
});

describe('query_memory', () => {
  beforeEach(async () => {
    await s.call('remember', { content: 'Bob plays tennis on Saturdays', kind: 'fact', tags: ['bob', 'sport'], occurred_at: '2026-03-01T10:00:00Z' });
    await s.call('remember', { content: 'Bob dislikes tennis balls that are flat', kind: 'preference', tags: ['bob'], occurred_at: '2026-05-01T10:00:00Z' });
    await s.call('remember', { content: 'Carol plays tennis at the club', kind: 'event', tags: ['carol', 'sport'], occurred_at: '2026-07-01T10:00:00Z' });
  });

  it('filters by kind, tags and time', async () => {
    const byKind = await s.call('query_memory', { query: 'tennis', kinds: ['fact'] });
    expect(byKind.results.map((r) => r.content)).toEqual(['Bob plays tennis on Saturdays']);
    const byTag = await s.call('query_memory', { query: 'tennis', tags: ['carol'] });
    expect(byTag.results.map((r) => r.content)).toEqual(['Carol plays tennis at the club']);
    const byTime = await s.call('query_memory', { query: 'tennis', since: '2026-04-01T00:00:00Z', until: '2026-06-01T00:00:00Z' });
    expect(byTime.results.map((r) => r.content)).toEqual(['Bob dislikes tennis balls that are flat']);
  });

  it('respects limit, compact and max_chars', async () => {
    expect((await s.call('query_memory', { query: 'tennis', limit: 2 })).results).toHaveLength(2);
    const compact = await s.call('query_memory', { query: 'tennis', compact: true });
    expect(compact.results[0]!.metadata).toBeUndefined();
    expect(compact.results[0]!.score_parts).toBeUndefined();
    const long = 'tennis '.repeat(400);
    await s.call('remember', { content: long });
    // max_chars bounds the whole reply, not only the texts: both copies of it stay within 300 characters.
    const res = await s.client.callTool({ name: 'query_memory', arguments: { query: 'tennis', max_chars: 300 } });
    expect(JSON.stringify(res.structuredContent).length).toBeLessThanOrEqual(300);
    expect((res.content as Array<{ text: string }>)[0]!.text.length).toBeLessThanOrEqual(300);
    const bounded = res.structuredContent as { truncated: boolean; hint: string; omitted: Record<string, number>; count: number };
    expect(bounded.truncated).toBe(true);
    expect(bounded.hint).toMatch(/limit/);
    expect(bounded.count).toBeGreaterThan(0);
    expect(Object.keys(bounded.omitted).length).toBeGreaterThan(0);
  });

  it('returns nothing (not an error) for a query with no words', async () => {
    const q = await s.call('query_memory', { query: '?!…' });
    expect(q.results).toEqual([]);
  });
});
