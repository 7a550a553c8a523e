import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

const open: TestServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A server whose clock moves one second per memory, so "newest first" is well defined. */
async function seeded(n: number) {
  const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
  const s = await startTestServer({ clock });
  open.push(s);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      (await s.call('remember', { content: `Browse note number ${i}`, kind: i % 3 === 0 ? 'fact' : 'note', tags: i % 2 === 0 ? ['even'] : ['odd'] })).id,
    );
    clock.advance(1000);
  }
  return { s, ids, clock };
}

type Page = { results: Array<{ id: string; score: number }>; next_cursor?: string | null };

/** Every page of a listing, following next_cursor. */
async function allPages(s: TestServer, args: Record<string, unknown>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const page: Page = await s.call('query_memory', { ...args, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('browse (query_memory without a query)', () => {
  it('lists memories newest first, a page at a time, with an opaque cursor', async () => {
    const { s, ids } = await seeded(12);
    const first = await s.call('query_memory', { limit: 5 });
    expect(first.engine).toBe('list');
    expect(first.results.map((r) => r.id)).toEqual(ids.slice(-5).reverse());
    expect(first.results[0]).toMatchObject({ type: 'memory', score: 0, content: 'Browse note number 11', tags: ['odd'], kind: 'note' });
    expect(first.results[0]!.score_parts).toBeUndefined();
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(first.next_cursor).not.toContain(ids[6]);
    const pages = await allPages(s, { limit: 5 });
    expect(pages.map((p) => p.results.length)).toEqual([5, 5, 2]);
    expect(pages.at(-1)!.next_cursor).toBeNull();
    expect(pages.flatMap((p) => p.results.map((r) => r.id))).toEqual([...ids].reverse());
  });

  it('applies the filters: kinds, tags, since and until', async () => {
    const { s, ids } = await seeded(12);
    const facts = (await allPages(s, { kinds: ['fact'], limit: 2 })).flatMap((p) => p.results.map((r) => r.id));
    expect(facts).toEqual([ids[9], ids[6], ids[3], ids[0]]);
    const even = (await allPages(s, { tags: ['even'], limit: 4 })).flatMap((p) => p.results.map((r) => r.id));
    expect(even).toEqual([ids[10], ids[8], ids[6], ids[4], ids[2], ids[0]]);
    const window = await s.call('query_memory', { since: '2026-01-05T09:00:03Z', until: '2026-01-05T09:00:05Z' });
    expect(window.results.map((r) => r.id)).toEqual([ids[5], ids[4], ids[3]]);
  });

  it('stays stable under concurrent inserts: no page repeats or skips a memory', async () => {
    const { s, ids, clock } = await seeded(9);
    const first = await s.call('query_memory', { limit: 4 });
    // Written between pages, and newer than everything listed: they never shift a later page.
    for (let i = 0; i < 3; i++) {
      await s.call('remember', { content: `Written while browsing ${i}` });
      clock.advance(1000);
    }
    const second = await s.call('query_memory', { limit: 4, cursor: first.next_cursor });
    const third = await s.call('query_memory', { limit: 4, cursor: second.next_cursor });
    expect([...first.results, ...second.results, ...third.results].map((r) => r.id)).toEqual([...ids].reverse());
    expect(third.next_cursor).toBeNull();
  });

  it('hides superseded memories unless include_superseded, and never lists forgotten ones', async () => {
    const { s, ids } = await seeded(3);
    const fix = await s.call('remember', { content: 'Browse note number 1, corrected', supersedes: [ids[1]] });
    await s.call('forget', { id: ids[0] });
    expect((await s.call('query_memory', {})).results.map((r) => r.id)).toEqual([fix.id, ids[2]]);
    const all = await s.call('query_memory', { include_superseded: true });
    expect(all.results.map((r) => r.id)).toEqual([fix.id, ids[2], ids[1]]);
    expect(all.results[2]).toMatchObject({ superseded_by: fix.id });
  });

  it('refuses a cursor it did not make, a cursor with a query, and a listing without memories in scope', async () => {
    const { s } = await seeded(2);
    expect(await s.callError('query_memory', { cursor: 'not-a-cursor' })).toBeCairnError('INVALID_INPUT', /^cursor: not a cursor from this listing/);
    expect(await s.callError('query_memory', { cursor: Buffer.from('["m1","x","y"]').toString('base64url') })).toBeCairnError('INVALID_INPUT', /^cursor/);
    const page = await s.call('query_memory', { limit: 1 });
    expect(await s.callError('query_memory', { query: 'browse', cursor: page.next_cursor })).toBeCairnError('INVALID_INPUT', /^cursor: only for listing/);
    expect(await s.callError('query_memory', { scope: ['episodes'] })).toBeCairnError('INVALID_INPUT', /^query: required unless listing memories/);
  });

  it('bounds a listing by max_chars and compact like a search', async () => {
    const { s } = await seeded(0);
    for (let i = 0; i < 5; i++) await s.call('remember', { content: `${i} ${'long text '.repeat(100)}` });
    const q = await s.call('query_memory', { compact: true, max_chars: 500 });
    expect(q.truncated).toBe(true);
    expect(q.results.reduce((n, r) => n + r.content!.length, 0)).toBeLessThanOrEqual(500);
  });
});
