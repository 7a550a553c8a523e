import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/prng.js';
import type { TestServer } from '../helpers/client.js';
import type { ToolOutputs } from '../helpers/tool-outputs.js';
import { useServers } from './fixtures.js';

/** One query_memory result. */
type Hit = ToolOutputs['query_memory']['results'][number];

const { server } = useServers();
const search = async (s: TestServer, args: Record<string, unknown>): Promise<Hit[]> => (await s.call('query_memory', { explain: true, ...args })).results;
const contents = async (s: TestServer, args: Record<string, unknown>) => (await search(s, args)).map((r) => r.content);

/** Six unrelated facts about one person, in the order a client sent them. */
const DANA = [
  'Dana moved to Lisbon in 2019',
  'Dana is allergic to penicillin',
  "Dana's manager is called Priya",
  'Dana plays the cello on weekends',
  "Dana's favourite food is ramen",
  'Dana volunteers at the animal shelter',
];

/** Fact templates: each asked about by words only it holds (besides the person's name). */
const TEMPLATES: Array<{ fact: (who: string) => string; ask: (who: string) => string }> = [
  { fact: (w) => `${w} is allergic to penicillin`, ask: (w) => `what is ${w} allergic to?` },
  { fact: (w) => `${w}'s manager is called Priya`, ask: (w) => `who manages ${w} at work?` },
  { fact: (w) => `${w} plays the cello in an orchestra`, ask: (w) => `which instrument does ${w} play?` },
  { fact: (w) => `${w} grew up in a fishing village near Porto`, ask: (w) => `which village is ${w} from?` },
  { fact: (w) => `${w} keeps the spare key under the blue flowerpot`, ask: (w) => `where is ${w}'s spare key?` },
  { fact: (w) => `${w}'s favourite food is ramen with extra garlic`, ask: (w) => `what is ${w}'s favourite food?` },
  { fact: (w) => `${w} drives an old green Volvo estate`, ask: (w) => `what car does ${w} drive?` },
  { fact: (w) => `${w} is training for the Berlin marathon`, ask: (w) => `which marathon is ${w} training for?` },
  { fact: (w) => `${w}'s daughter starts university in October`, ask: (w) => `when does ${w}'s daughter start university?` },
  { fact: (w) => `${w} volunteers at the animal shelter on Sundays`, ask: (w) => `where does ${w} volunteer?` },
];
const NAMES = ['Dana', 'Omar', 'Ines', 'Kofi', 'Lena', 'Ravi', 'Yuki', 'Tomas', 'Ada', 'Bram', 'Chen', 'Esme'];

describe('ranking: a direct match always outranks a neighbour', () => {
  it('finds the penicillin fact first among six facts sent with one source', async () => {
    const s = await server();
    const ids: string[] = [];
    for (const content of DANA) ids.push((await s.call('remember', { content, source: 'conversation-42' })).id);
    const hits = await search(s, { query: 'what is Dana allergic to?' });
    expect(hits[0]!.id).toBe(ids[1]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    // The neighbour keeps the context it was lent, below the fact it borrowed it from.
    const manager = hits.find((h) => h.id === ids[2]);
    expect(manager?.score_parts?.neighbours).toBeGreaterThan(0);
  });

  it('property: for random unrelated facts sharing a source (or none), the directly matching fact ranks first', async () => {
    const s = await server();
    const next = mulberry32(13);
    const cases: Array<{ query: string; id: string; label: string }> = [];
    for (const [trial, who] of NAMES.entries()) {
      const templates = [...TEMPLATES].sort(() => next() - 0.5).slice(0, 4 + Math.floor(next() * 6));
      const source = trial % 3 === 2 ? undefined : `chat-${trial}`;
      const stored: string[] = [];
      for (const t of templates) stored.push((await s.call('remember', { content: t.fact(who), ...(source ? { source } : {}) })).id);
      const target = Math.floor(next() * templates.length);
      cases.push({ query: templates[target]!.ask(who), id: stored[target]!, label: `${who} (${source ?? 'no source'}): ${templates[target]!.fact(who)}` });
    }
    const misses: string[] = [];
    for (const c of cases) {
      const hits = await search(s, { query: c.query });
      if (hits[0]?.id !== c.id) misses.push(`${c.query} → ${hits[0]?.content ?? 'nothing'} instead of ${c.label}`);
    }
    expect(misses).toEqual([]);
  });
});

describe('ranking: threads without a source', () => {
  it('lends neighbouring turns context when the client sends no source, and a pause ends the thread', async () => {
    const s = await server();
    const turns = [
      'Bob: I picked up the groceries on the way home',
      'Ann: which agency did you choose for the adoption?',
      'Bob: the one that supports single parents',
      'Bob: I went hiking in the hills yesterday',
      'Bob: my sister visited last weekend',
    ];
    const ids: string[] = [];
    for (const content of turns) ids.push((await s.call('remember', { content, occurred_at: '2026-03-02T10:00:00Z', tags: [content.split(':')[0]!] })).id);
    const hits = await search(s, { query: 'which adoption agency did Bob choose?' });
    const reply = hits.find((h) => h.id === ids[2]);
    expect(reply?.score_parts?.neighbours).toBeGreaterThan(0);
    // The reply outranks Bob's other turns, which share only his name with the query.
    const others = [ids[0], ids[3], ids[4]].map((id) => hits.findIndex((h) => h.id === id));
    for (const at of others) expect(hits.indexOf(reply!)).toBeLessThan(at === -1 ? Infinity : at);

    // The same exchange with the reply dated three hours later: two sittings, no shared context.
    const t = await server();
    const late: string[] = [];
    for (const [i, content] of turns.entries()) {
      const at = i < 2 ? '2026-03-02T10:00:00Z' : '2026-03-02T13:00:00Z';
      late.push((await t.call('remember', { content, occurred_at: at, tags: [content.split(':')[0]!] })).id);
    }
    const apart = (await search(t, { query: 'which adoption agency did Bob choose?', min_score: 0 })).find((h) => h.id === late[2]);
    expect(apart?.score_parts?.neighbours ?? 0).toBeLessThan(reply!.score_parts!.neighbours!);
  });
});

describe('ranking: no padding', () => {
  it('returns nothing, with a note, when nothing stored is about the query; min_score 0 returns the closest anyway', async () => {
    const s = await server();
    for (const content of DANA) await s.call('remember', { content });
    const none = await s.call('query_memory', { query: 'what car does she have' });
    expect(none.results).toEqual([]);
    expect(none.count).toBe(0);
    expect(none.note).toMatch(/Nothing relevant.*min_score/);
    expect((await search(s, { query: 'what car does she have', min_score: 0 })).length).toBe(DANA.length);
  });

  it('drops unrelated hits but keeps weaker matches, and every hit reports its relevance', async () => {
    const s = await server();
    for (const content of DANA) await s.call('remember', { content });
    await s.call('remember', { content: 'The office printer needs a new toner cartridge' });
    const hits = await search(s, { query: 'what is Dana allergic to?' });
    expect(hits[0]!.content).toBe('Dana is allergic to penicillin');
    expect(hits[0]!.score_parts!.relevance).toBe(1);
    expect(hits.every((h) => (h.score_parts?.relevance ?? 0) >= 0.2)).toBe(true);
    expect(hits.map((h) => h.content)).not.toContain('The office printer needs a new toner cartridge');
    // Context lifts a neighbour to at most 0.9 of the fact it borrows from (contextCeiling).
    expect(hits.slice(1).every((h) => (h.score_parts?.relevance ?? 1) <= 0.9 + 1e-9)).toBe(true);
    expect(await contents(s, { query: 'what is Dana allergic to?', min_score: 0.95 })).toEqual(['Dana is allergic to penicillin']);
  });
});

describe('ranking: diversify', () => {
  it('keeps 14 near-identical medication logs above unrelated notes with diversify false, and MMR interleaves them by default', async () => {
    const s = await server();
    const logs: string[] = [];
    for (let day = 1; day <= 14; day++) {
      logs.push((await s.call('remember', { content: `Medication dose taken: 10 mg methylphenidate at 08:00, day ${day}`, kind: 'event' })).id);
    }
    for (const note of [
      'Ask the doctor whether the medication dose can be lowered',
      'Medication refill is ready; the dose label changed',
      'The dose of vitamin D is taken with breakfast',
      'Medication list for the trip: the dose box is in the bag',
    ]) {
      await s.call('remember', { content: note, kind: 'note' });
    }
    const flat = await search(s, { query: 'medication dose taken', limit: 18, diversify: false });
    expect(
      flat
        .slice(0, 14)
        .map((h) => h.id)
        .sort(),
    ).toEqual([...logs].sort());
    expect(flat.every((h) => h.score_parts?.diversity === 0)).toBe(true);
    const mixed = await search(s, { query: 'medication dose taken', limit: 18 });
    expect(mixed.slice(0, 14).some((h) => !logs.includes(h.id))).toBe(true);
  });
});
