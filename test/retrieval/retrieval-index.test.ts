import { describe, expect, it } from 'vitest';
import type { RetrievalDoc, RetrievalOptions } from '../../src/retrieval/index.js';
import { createRetrievalIndex } from '../../src/retrieval/index.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

function doc(id: string, text: string, extra: Partial<RetrievalDoc> = {}): RetrievalDoc {
  return { id, type: 'memory', text, occurredAt: NOW - DAY, createdAt: NOW - DAY, importance: 0.5, tags: [], ...extra };
}

/** Plain text ranking, so each test isolates one technique. */
const plain: Partial<RetrievalOptions> = { feedback: false, semantic: false, mmrLambda: 1, neighbourShare: 0, neighbourBackShare: 0, threadShare: 0 };

function ids(index: ReturnType<typeof createRetrievalIndex>, text: string, more: Record<string, unknown> = {}): string[] {
  return index.search({ text, limit: 10, now: NOW, ...more }).map((h) => h.id);
}

describe('retrieval index', () => {
  it('applies every filter, and filters never leak through neighbours or vectors', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain, neighbourShare: 0.5 });
    index.add([
      doc('m1', 'deploy the api server', { kind: 'fact', tags: ['Ops'], thread: 't', seq: 1, vector: Float32Array.from([1, 0]) }),
      doc('m2', 'deploy notes for the api', { kind: 'note', tags: ['ops', 'db'], thread: 't', seq: 2, occurredAt: NOW - 30 * DAY }),
      doc('e1', 'deploy pipeline episode', { type: 'episode', taskType: 'debugging', domain: 'web', outcome: 'success', reward: 0.9 }),
      doc('e2', 'deploy pipeline again', { type: 'episode', taskType: 'testing', domain: 'web', outcome: 'failure', reward: 0.1 }),
      doc('p1', 'pattern: deploy after tests', { type: 'pattern' }),
    ]);
    const q = (filters: Record<string, unknown>) => ids(index, 'deploy', { filters, vector: Float32Array.from([1, 0]) }).sort();
    expect(q({})).toEqual(['e1', 'e2', 'm1', 'm2', 'p1']);
    expect(q({ types: ['episode'] })).toEqual(['e1', 'e2']);
    expect(q({ types: ['memory', 'pattern'] })).toEqual(['m1', 'm2', 'p1']);
    expect(q({ kinds: ['FACT'] })).toEqual(['m1']);
    expect(q({ tags: ['ops'] })).toEqual(['m1', 'm2']);
    expect(q({ tags: ['ops', 'db'] })).toEqual(['m2']);
    expect(q({ taskType: 'debugging' })).toEqual(['e1']);
    expect(q({ domain: 'web', outcome: 'failure' })).toEqual(['e2']);
    expect(q({ since: NOW - 2 * DAY })).toEqual(['e1', 'e2', 'm1', 'p1']);
    expect(q({ until: NOW - 2 * DAY })).toEqual(['m2']);
    expect(q({ since: NOW, until: NOW + DAY })).toEqual([]);
  });

  it('holds hidden documents as thread context but returns them only with includeHidden', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain, neighbourShare: 0.5 });
    index.add([
      doc('old', 'dana prefers tea', { kind: 'preference', hidden: true, thread: 't', seq: 1, vector: Float32Array.from([1, 0]) }),
      doc('new', 'dana prefers coffee', { kind: 'preference', thread: 't', seq: 2 }),
      doc('other', 'the kettle is broken', { thread: 't', seq: 3 }),
    ]);
    const vector = Float32Array.from([1, 0]);
    expect(ids(index, 'tea', { vector })).not.toContain('old');
    expect(ids(index, 'tea', { vector, filters: { kinds: ['preference'] } })).not.toContain('old');
    expect(ids(index, 'tea', { vector, filters: { includeHidden: true } })).toContain('old');
    expect(ids(index, 'tea', { filters: { includeHidden: true, kinds: ['preference'] } }).sort()).toEqual(['new', 'old']);
    // The hidden turn still lends its words to the next one in its thread.
    expect(ids(index, 'tea')[0]).toBe('new');
    index.add([doc('old', 'dana prefers tea', { kind: 'preference', thread: 't', seq: 1 })]);
    expect(ids(index, 'tea')).toContain('old');
  });

  it("multiplies the rank by a document's decay and reports it as a score part", () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    // Each in a thread of its own, so no document lends the others context.
    index.add([
      doc('fresh', 'garden tomatoes need water', { thread: 'f' }),
      doc('stale', 'garden tomatoes need water', { decay: 0.8, thread: 's' }),
      doc('bad', 'garden tomatoes need water', { decay: Number.NaN, thread: 'b' }),
    ]);
    const hits = index.search({ text: 'tomatoes water', limit: 10, now: NOW });
    const by = (id: string) => hits.find((h) => h.id === id)!;
    expect(by('stale').parts.decay).toBe(0.8);
    expect(by('fresh').parts.decay).toBe(1);
    expect(by('bad').parts.decay).toBe(1);
    expect(by('stale').score).toBeCloseTo(by('fresh').score * 0.8, 10);
    expect(hits.at(-1)!.id).toBe('stale');
  });

  it('a selective filter still finds its match behind many better-scoring excluded documents', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    index.add(Array.from({ length: 1500 }, (_, i) => doc(`d${i}`, `alpha alpha alpha ${i}`)));
    index.add([doc('rare', 'alpha beta gamma delta epsilon zeta eta theta', { tags: ['rare'] })]);
    expect(ids(index, 'alpha', { filters: { tags: ['rare'] } })).toEqual(['rare']);
    expect(ids(index, 'alpha')).not.toContain('rare');
  });

  it('remove() takes documents out of every signal; add() with a known id replaces', () => {
    const index = createRetrievalIndex({ dim: 2, feedback: false });
    index.add([
      doc('a', 'alpha bravo', { vector: Float32Array.from([1, 0]), thread: 't', seq: 1 }),
      doc('b', 'alpha charlie', { vector: Float32Array.from([0, 1]), thread: 't', seq: 2 }),
      doc('c', 'delta echo', { thread: 't', seq: 3 }),
    ]);
    expect(index.size).toBe(3);
    expect(index.remove(['a', 'missing'])).toBe(1);
    expect(index.has('a')).toBe(false);
    expect(index.size).toBe(2);
    expect(ids(index, 'alpha bravo', { vector: Float32Array.from([1, 0]) })).not.toContain('a');
    index.add([doc('b', 'zulu only', { thread: 't', seq: 2 })]);
    expect(index.size).toBe(2);
    expect(ids(index, 'charlie')).toEqual([]);
    expect(ids(index, 'zulu')[0]).toBe('b');
  });

  it('recency only re-ranks: an old document still ranks, just below an equal new one', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    index.add([doc('old', 'budget review meeting', { occurredAt: NOW - 3650 * DAY }), doc('new', 'budget review meeting', { occurredAt: NOW - DAY })]);
    const hits = index.search({ text: 'budget review', limit: 10, now: NOW });
    expect(hits.map((h) => h.id)).toEqual(['new', 'old']);
    const old = hits[1];
    expect(old?.parts.recency).toBeGreaterThanOrEqual(0.9);
    expect(old?.parts.recency).toBeLessThan(hits[0]?.parts.recency ?? 0);
    const flat = createRetrievalIndex({ dim: 2, ...plain, adjust: { recencyWeight: 0 } });
    flat.add([doc('x', 'budget', { occurredAt: NOW - 3650 * DAY })]);
    expect(flat.search({ text: 'budget', limit: 1, now: NOW })[0]?.parts.recency).toBe(1);
  });

  it('importance and episode reward move equal documents apart', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    index.add([
      doc('low', 'cache invalidation notes', { importance: 0.1 }),
      doc('high', 'cache invalidation notes', { importance: 0.9 }),
      doc('bad', 'cache invalidation episode', { type: 'episode', reward: 0 }),
      doc('good', 'cache invalidation episode', { type: 'episode', reward: 1 }),
    ]);
    const order = ids(index, 'cache invalidation');
    expect(order.indexOf('high')).toBeLessThan(order.indexOf('low'));
    expect(order.indexOf('good')).toBeLessThan(order.indexOf('bad'));
  });

  it('lends neighbours context: a reply is found through the turn it answers, in any add order', () => {
    const turns = [
      doc('q', 'Ann: which agency did you pick for the adoption?', { thread: 's1', seq: 1 }),
      doc('a', 'Bob: the one that supports single parents', { thread: 's1', seq: 2 }),
      doc('x', 'Bob: something unrelated entirely', { thread: 's2', seq: 1 }),
    ];
    for (const order of [turns, [...turns].reverse()]) {
      const index = createRetrievalIndex({ dim: 2, feedback: false, semantic: false, mmrLambda: 1 });
      index.add(order);
      const hits = index.search({ text: 'adoption agency', limit: 10, now: NOW });
      const reply = hits.find((h) => h.id === 'a');
      expect(reply).toBeDefined();
      expect((reply?.parts.bm25 ?? 0) + (reply?.parts.neighbours ?? 0)).toBeGreaterThan(0);
      expect(hits.map((h) => h.id)).not.toContain('x');
    }
    // Removing the question takes its context away from the reply.
    const index = createRetrievalIndex({ dim: 2, ...plain, fieldWeights: { context: 0.5 } });
    index.add(turns);
    expect(ids(index, 'adoption agency')).toContain('a');
    index.remove(['q']);
    expect(ids(index, 'adoption agency')).toEqual([]);
  });

  it('bounds context: a neighbour never outranks the stronger match it borrows from, in any order of facts', () => {
    const facts = ['Dana moved to Lisbon', 'Dana is allergic to penicillin', "Dana's manager is Priya", 'Dana plays the cello'];
    for (const thread of ['conversation-42', undefined]) {
      for (let rotate = 0; rotate < facts.length; rotate++) {
        const order = [...facts.slice(rotate), ...facts.slice(0, rotate)];
        const index = createRetrievalIndex({ dim: 2, semantic: false });
        index.add(order.map((text, i) => doc(text, text, { seq: i, ...(thread ? { thread } : {}) })));
        const hits = index.search({ text: 'what is Dana allergic to?', limit: 4, now: NOW });
        expect(hits[0]?.id).toBe('Dana is allergic to penicillin');
        const [first, ...rest] = hits.map((h) => h.parts.bm25 + h.parts.neighbours);
        for (const text of rest) expect(text).toBeLessThanOrEqual(0.9 * (first as number) + 1e-9);
      }
    }
    // Without the bound, the fact after the match is lifted above it.
    const unbounded = createRetrievalIndex({ dim: 2, semantic: false, contextCeiling: false });
    unbounded.add(facts.map((text, i) => doc(text, text, { seq: i, thread: 'conversation-42' })));
    expect(unbounded.search({ text: 'what is Dana allergic to?', limit: 4, now: NOW })[0]?.id).toBe("Dana's manager is Priya");
  });

  it('infers threads for memories without one: neighbours by write order, none across a pause', () => {
    const turns = (gapMs: number) => [
      doc('q', 'Ann: which agency did you pick for the adoption?', { seq: 1, createdAt: NOW - DAY }),
      doc('a', 'Bob: the one that supports single parents', { seq: 2, createdAt: NOW - DAY + gapMs }),
    ];
    const index = createRetrievalIndex({ dim: 2, ...plain, neighbourShare: 0.5 });
    index.add(turns(60_000));
    expect(index.search({ text: 'adoption agency', limit: 5, now: NOW }).find((h) => h.id === 'a')?.parts.neighbours).toBeGreaterThan(0);
    const apart = createRetrievalIndex({ dim: 2, ...plain, neighbourShare: 0.5 });
    apart.add(turns(2 * 3_600_000));
    expect(apart.search({ text: 'adoption agency', limit: 5, now: NOW }).map((h) => h.id)).toEqual(['q']);
    const off = createRetrievalIndex({ dim: 2, ...plain, neighbourShare: 0.5, inferThreads: false });
    off.add(turns(60_000));
    expect(off.search({ text: 'adoption agency', limit: 5, now: NOW }).map((h) => h.id)).toEqual(['q']);
  });

  it('boosts the document whose leading label the query names, and demotes bare questions', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    index.add([
      doc('mention', 'Melanie: Caroline loves hiking in the hills'),
      doc('speaker', 'Caroline: I love hiking in the hills'),
      doc('asks', 'Melanie: do you love hiking in the hills?'),
    ]);
    const hits = index.search({ text: 'What does Caroline love?', limit: 3, now: NOW });
    expect(hits[0]?.id).toBe('speaker');
    expect(hits[0]?.parts.label).toBe(1.75);
    expect(hits.find((h) => h.id === 'asks')?.parts.form).toBe(0.7);
    expect(index.search({ text: 'Caroline hiking hills', limit: 3, now: NOW }).find((h) => h.id === 'asks')?.parts.form).toBe(1);
  });

  it('prefers documents from a period the query names, and ones that mention a time for "when"', () => {
    const index = createRetrievalIndex({ dim: 2, ...plain });
    index.add([
      doc('april', 'we went to the lake with Sam', { occurredAt: Date.UTC(2023, 3, 10) }),
      doc('may', 'we went to the lake with Kim', { occurredAt: Date.UTC(2023, 4, 10) }),
      doc('dated', 'we went to the lake on Sunday', { occurredAt: Date.UTC(2023, 3, 10) }),
    ]);
    const inMay = index.search({ text: 'lake trip in May 2023', limit: 3, now: NOW });
    expect(inMay[0]?.id).toBe('may');
    expect(inMay[0]?.parts.temporal).toBe(2);
    expect(ids(index, 'When did we go to the lake?')[0]).toBe('dated');
    const off = createRetrievalIndex({ dim: 2, ...plain, temporal: false });
    off.add([doc('april', 'we went to the lake', { occurredAt: Date.UTC(2023, 3, 10) })]);
    expect(off.search({ text: 'lake in May 2023', limit: 1, now: NOW })[0]?.parts.temporal).toBe(1);
  });

  it('finds a document by its vector alone, and diversifies near-duplicates with MMR', () => {
    const index = createRetrievalIndex({ dim: 3, feedback: false, semantic: false, inferThreads: false });
    index.add([
      doc('dup1', 'server restart procedure', { vector: Float32Array.from([1, 0, 0]) }),
      doc('dup2', 'server restart procedure', { vector: Float32Array.from([1, 0.01, 0]) }),
      doc('other', 'server restart procedure checklist', { vector: Float32Array.from([0, 1, 0]) }),
      doc('vec', 'zzz', { vector: Float32Array.from([0, 0, 1]) }),
      ...Array.from({ length: 10 }, (_, i) => doc(`log${i}`, `server log line ${i}`, { vector: Float32Array.from([0.5, 0.5, 0.5]) })),
    ]);
    const hits = index.search({ text: 'server restart procedure', limit: 3, now: NOW });
    expect(hits.map((h) => h.id).slice(0, 2)).toEqual(['dup1', 'other']);
    expect(hits[2]?.parts.diversity).toBeGreaterThan(0.9);
    expect(ids(index, 'nothing matches', { vector: Float32Array.from([0, 0, 1]) })[0]).toBe('vec');
  });

  it('reports finite score parts and scores that never rise down the list', () => {
    const index = createRetrievalIndex({ dim: 2 });
    index.add(
      Array.from({ length: 60 }, (_, i) =>
        doc(`d${i}`, `note ${i % 7} about topic ${i % 3} and item ${i}`, { thread: 'x', seq: i, vector: Float32Array.from([Math.cos(i), Math.sin(i)]) }),
      ),
    );
    index.refresh();
    const hits = index.search({ text: 'topic 2 note 3', vector: Float32Array.from([1, 0]), limit: 10, now: NOW });
    expect(hits).toHaveLength(10);
    for (const h of hits) for (const v of Object.values(h.parts)) expect(Number.isFinite(v)).toBe(true);
    for (let i = 1; i < hits.length; i++) expect((hits[i] as { score: number }).score).toBeLessThanOrEqual((hits[i - 1] as { score: number }).score);
    expect(createRetrievalIndex({ dim: 2 }).search({ text: 'x', limit: 5, now: NOW })).toEqual([]);
  });

  it('rejects bad limits, wrong vector lengths and bad options with INVALID_INPUT', () => {
    const index = createRetrievalIndex({ dim: 2 });
    index.add([doc('a', 'x')]);
    const invalid = (message?: RegExp) => expect.toBeCairnError('INVALID_INPUT', message);
    expect(() => index.search({ text: 'x', limit: 0, now: NOW })).toThrow(invalid());
    expect(() => index.search({ text: 'x', limit: 1, now: NOW, vector: new Float32Array(3) })).toThrow(invalid(/holds 2-d vectors/));
    expect(() => index.add([doc('b', 'y', { vector: new Float32Array(5) })])).toThrow(invalid(/document b has a 5-d vector/));
    expect(() => createRetrievalIndex({ dim: 2, b: 2 })).toThrow(invalid(/option b must be in 0\.\.1/));
    expect(() => createRetrievalIndex({ dim: -1 })).toThrow(invalid());
  });
});
