import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

const open: TestServer[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
const server = async (opts: Parameters<typeof startTestServer>[0] = {}) => {
  const s = await startTestServer(opts);
  open.push(s);
  return s;
};

/** The JSON of `cairn://memories/{id}`. */
async function history(s: TestServer, id: string) {
  const res = await s.client.readResource({ uri: `cairn://memories/${id}` });
  return JSON.parse(String((res.contents[0] as { text: string }).text));
}

const ids = (q: { results: Array<{ id: string }> }) => q.results.map((r) => r.id);

describe('supersede', () => {
  it('hides the corrected memory by default, keeps it, links both ways and shows it with include_superseded', async () => {
    const s = await server();
    const tea = await s.call('remember', { content: 'Dana prefers tea in the morning', kind: 'preference' });
    const coffee = await s.call('remember', { content: 'Dana now prefers coffee in the morning', kind: 'preference', supersedes: [tea.id] });
    expect(coffee).toMatchObject({ deduplicated: false, superseded: [tea.id] });

    const q = await s.call('query_memory', { query: 'what does Dana drink in the morning?' });
    expect(ids(q)).toEqual([coffee.id]);
    const all = await s.call('query_memory', { query: 'what does Dana drink in the morning?', include_superseded: true });
    expect(ids(all).sort()).toEqual([tea.id, coffee.id].sort());
    expect(all.results.find((r) => r.id === tea.id)).toMatchObject({ superseded_by: coffee.id });
    expect(all.results.find((r) => r.id === coffee.id)!.superseded_by).toBeUndefined();

    const old = await history(s, tea.id);
    expect(old.memory).toMatchObject({ id: tea.id, status: 'superseded', superseded_by: coffee.id, content: 'Dana prefers tea in the morning' });
    expect(old.superseded_by).toMatchObject({ id: coffee.id, status: 'live' });
    const fresh = await history(s, coffee.id);
    expect(fresh.supersedes.map((m: { id: string }) => m.id)).toEqual([tea.id]);
    expect(fresh.events.map((e: { action: string; memory_id: string }) => [e.action, e.memory_id])).toEqual([
      ['remember', coffee.id],
      ['supersede', tea.id],
    ]);
    expect(fresh.events[1]).toMatchObject({ actor: 'client', rule: 'explicit', related_id: coffee.id });
  });

  it('is reversible: restore brings the superseded memory back and records it', async () => {
    const s = await server();
    const a = await s.call('remember', { content: 'The office wifi password is on the fridge', kind: 'fact' });
    const b = await s.call('remember', { content: 'The office wifi password is in 1Password now', kind: 'fact', supersedes: [a.id] });
    expect(ids(await s.call('query_memory', { query: 'office wifi password' }))).toEqual([b.id]);
    expect(await s.call('forget', { id: a.id, restore: true })).toEqual({ id: a.id, status: 'restored' });
    expect(ids(await s.call('query_memory', { query: 'office wifi password' })).sort()).toEqual([a.id, b.id].sort());
    const h = await history(s, a.id);
    expect(h.memory.status).toBe('live');
    expect(h.events.map((e: { action: string }) => e.action)).toEqual(['remember', 'supersede', 'restore']);
    expect(h.events[2]).toMatchObject({ related_id: b.id, details: { was: 'superseded' } });
    expect(await s.callError('forget', { id: a.id, restore: true })).toBeCairnError('CONFLICT', /is not forgotten, superseded or merged/);
  });

  it('refuses bad targets with a clear error and stores nothing', async () => {
    const s = await server();
    const a = await s.call('remember', { content: 'Standup is at 9:30', kind: 'fact' });
    const b = await s.call('remember', { content: 'Standup is at 10:00', kind: 'fact', supersedes: [a.id] });
    const gone = await s.call('remember', { content: 'Retro is on Fridays', kind: 'fact' });
    await s.call('forget', { id: gone.id });
    const before = (await s.call('health_check')).counts.memories;
    const unknown = '0190aaaa-0000-7000-8000-000000000000';
    expect(await s.callError('remember', { content: 'Standup is at 10:15', kind: 'fact', supersedes: [unknown] })).toBeCairnError(
      'NOT_FOUND',
      new RegExp(`^supersedes: no memory ${unknown}`),
    );
    expect(await s.callError('remember', { content: 'Standup is at 10:15', kind: 'fact', supersedes: [a.id] })).toBeCairnError(
      'CONFLICT',
      new RegExp(`already superseded by ${b.id}; pass ${b.id} instead; nothing was stored`),
    );
    expect(await s.callError('remember', { content: 'Retro is on Thursdays', kind: 'fact', supersedes: [gone.id] })).toBeCairnError('CONFLICT', /is forgotten/);
    expect(await s.callError('remember', { content: 'Standup is at 10:00', kind: 'fact', supersedes: [b.id] })).toBeCairnError(
      'INVALID_INPUT',
      /is the memory being remembered/,
    );
    expect((await s.call('health_check')).counts.memories).toBe(before);
    expect(ids(await s.call('query_memory', { query: 'standup', include_superseded: true })).sort()).toEqual([a.id, b.id].sort());
  });

  it('lets a superseded fact be stated again as a new memory', async () => {
    const s = await server();
    const tea = await s.call('remember', { content: 'Dana prefers tea', kind: 'preference' });
    const coffee = await s.call('remember', { content: 'Dana prefers coffee', kind: 'preference', supersedes: [tea.id] });
    const again = await s.call('remember', { content: 'Dana prefers tea', kind: 'preference', supersedes: [coffee.id] });
    expect(again.deduplicated).toBe(false);
    expect(again.id).not.toBe(tea.id);
    expect(ids(await s.call('query_memory', { query: 'Dana prefers' }))).toEqual([again.id]);
  });
});

describe('possibly_supersedes', () => {
  it('lists a close fact or preference about the same subject for the client to decide, and never decides itself', async () => {
    const s = await server();
    const tea = await s.call('remember', { content: 'Dana prefers tea in the morning', kind: 'preference' });
    await s.call('remember', { content: 'Dana is allergic to penicillin', kind: 'preference' });
    await s.call('remember', { content: 'Priya prefers tea in the morning', kind: 'preference' });
    await s.call('remember', { content: 'Dana prefers tea in the morning', kind: 'note' });
    const coffee = await s.call('remember', { content: 'Dana now prefers coffee in the morning', kind: 'preference' });
    expect(coffee.possibly_supersedes).toEqual([{ id: tea.id, content: 'Dana prefers tea in the morning', similarity: expect.any(Number) }]);
    expect(coffee.possibly_supersedes![0]!.similarity).toBeGreaterThanOrEqual(0.5);
    expect(coffee.superseded).toBeUndefined();
    // Nothing was hidden: both still answer.
    expect(ids(await s.call('query_memory', { query: 'Dana morning drink', kinds: ['preference'] }))).toEqual(expect.arrayContaining([tea.id, coffee.id]));
    // The client's model agrees: remembering the same again with supersedes applies it to the stored memory.
    const again = await s.call('remember', { content: 'Dana now prefers coffee in the morning', kind: 'preference', supersedes: [tea.id] });
    expect(again).toMatchObject({ id: coffee.id, deduplicated: true, superseded: [tea.id] });
    expect(ids(await s.call('query_memory', { query: 'Dana morning drink', kinds: ['preference'] }))).not.toContain(tea.id);
  });

  it('is absent for notes, for unrelated facts and when the caller already superseded the candidate', async () => {
    const s = await server();
    const a = await s.call('remember', { content: 'The build server runs Ubuntu 22.04', kind: 'fact' });
    expect((await s.call('remember', { content: 'The build server now runs Ubuntu 24.04', kind: 'note' })).possibly_supersedes).toBeUndefined();
    expect((await s.call('remember', { content: 'Lunch is served at noon', kind: 'fact' })).possibly_supersedes).toBeUndefined();
    const b = await s.call('remember', { content: 'The build server now runs Ubuntu 24.04', kind: 'fact', supersedes: [a.id] });
    expect(b.possibly_supersedes).toBeUndefined();
  });
});

describe('client retries', () => {
  it('never become two memories: same text within seconds, even with a new occurred_at or metadata', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
    const s = await server({ clock });
    const first = await s.call('remember', {
      content: 'Booked the dentist for Tuesday',
      kind: 'event',
      occurred_at: '2026-01-05T09:00:00.000Z',
      metadata: { try: 1 },
    });
    clock.advance(3_000);
    const retry = await s.call('remember', {
      content: 'Booked the dentist for Tuesday',
      kind: 'event',
      occurred_at: '2026-01-05T09:00:03.000Z',
      metadata: { try: 2 },
    });
    expect(retry).toMatchObject({ id: first.id, deduplicated: true });
    clock.advance(2_000);
    expect((await s.call('remember', { content: 'booked the dentist for tuesday!', kind: 'event', occurred_at: '2026-01-05T09:00:05.000Z' })).id).toBe(
      first.id,
    );
    expect((await s.call('health_check')).counts.memories).toBe(1);
    expect((await history(s, first.id)).events.map((e: { action: string }) => e.action)).toEqual(['remember']);
  });

  it('keeps genuinely separate statements: another kind, a different happening, or later than the window', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
    const s = await server({ clock });
    const a = await s.call('remember', { content: 'Went for a run', kind: 'event', occurred_at: '2026-01-04T07:00:00Z' });
    expect((await s.call('remember', { content: 'Went for a run', kind: 'event', occurred_at: '2026-01-05T07:00:00Z' })).id).not.toBe(a.id);
    expect((await s.call('remember', { content: 'Went for a run', kind: 'note' })).deduplicated).toBe(false);
    const b = await s.call('remember', { content: 'Pay the electricity bill', kind: 'note' });
    clock.advance(60_000);
    expect((await s.call('remember', { content: 'Pay the electricity bill!', kind: 'note' })).id).not.toBe(b.id);
    // Concurrent retries through one server still land once.
    const same = await Promise.all([1, 2, 3, 4].map((n) => s.call('remember', { content: 'Concurrent retry of one note', metadata: { n } })));
    expect(new Set(same.map((r) => r.id)).size).toBe(1);
    expect(same.filter((r) => !r.deduplicated)).toHaveLength(1);
  });
});

describe('forget audit trail', () => {
  it('records forget and restore with who, why and when', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 5, 9));
    const s = await server({ clock });
    const { id } = await s.call('remember', { content: 'Temporary note about the migration' });
    clock.advance(1000);
    await s.call('forget', { id, reason: 'done with it' });
    clock.advance(1000);
    await s.call('forget', { id, restore: true });
    const h = await history(s, id);
    expect(h.events).toEqual([
      expect.objectContaining({ action: 'remember', actor: 'client', at: '2026-01-05T09:00:00.000Z' }),
      expect.objectContaining({ action: 'forget', actor: 'client', rule: 'done with it', at: '2026-01-05T09:00:01.000Z' }),
      expect.objectContaining({ action: 'restore', actor: 'client', details: { was: 'forgotten' }, at: '2026-01-05T09:00:02.000Z' }),
    ]);
  });

  it('answers an unknown id on the resource with resource-not-found', async () => {
    const s = await server();
    await expect(s.client.readResource({ uri: 'cairn://memories/0190aaaa-0000-7000-8000-000000000000' })).rejects.toThrow(
      /Resource not found: cairn:\/\/memories\/0190aaaa-0000-7000-8000-000000000000/,
    );
  });
});
