import { describe, expect, it } from 'vitest';
import { createHashingEmbedder } from '../../src/embeddings/hashing.js';
import { mulberry32 } from '../../src/prng.js';
import {
  createImageAssembler,
  createRetrievalIndex,
  type IndexSnapshot,
  type RetrievalDoc,
  type RetrievalFilters,
  type RetrievalIndex,
  type RetrievalOptions,
  restoreRetrievalIndex,
} from '../../src/retrieval/index.js';
import { packImage } from '../../src/retrieval/snapshot/image.js';

const T0 = Date.UTC(2025, 0, 1);
const WORDS = 'garden bicycle report cake sink trip violin roof interview forms marathon offsite pottery cluster novel menu dentist album camping lisbon'.split(
  ' ',
);
const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'];
const embedder = createHashingEmbedder({ dim: 64 });

/**
 * Memories in named threads (some far apart in time) and on the inferred timeline (no thread),
 * hidden ones, decayed ones, episodes, tags, kinds, questions, dates.
 */
async function corpus(n: number, seed: number): Promise<RetrievalDoc[]> {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const docs: RetrievalDoc[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 4 + Math.floor(r() * 8) }, () => pick(WORDS)).join(' ');
    const text = `${pick(NAMES)}: ${words}${i % 7 === 0 ? ' yesterday?' : ''} (${Math.floor(r() * 1000)})`;
    const at = T0 + i * 600_000 * (i % 13 === 0 ? 100 : 1);
    docs.push(
      i % 10 === 0
        ? {
            id: `e${i}`,
            type: 'episode',
            text,
            occurredAt: at,
            createdAt: at,
            importance: 0.5,
            tags: ['Work'],
            taskType: pick(['debug', 'plan']),
            domain: 'Ops',
            outcome: pick(['success', 'failure']),
            reward: r(),
          }
        : {
            id: `m${i}`,
            type: 'memory',
            text,
            occurredAt: at,
            // Some written an hour after they happened: on the inferred timeline they start a new context.
            createdAt: at + (i % 3 === 1 ? 3_600_000 : 0),
            importance: r(),
            tags: i % 3 === 0 ? [pick(['home', 'Work', 'travel'])] : [],
            kind: pick(['note', 'fact', 'event']),
            seq: i,
            ...(i % 4 > 1 ? { thread: `t${i % 5}` } : {}),
            ...(i % 8 === 5 ? { hidden: true } : {}),
            ...(i % 6 === 2 ? { decay: 0.4 } : {}),
          },
    );
  }
  const vectors = await embedder.embed(docs.map((d) => d.text));
  docs.forEach((d, i) => {
    if (i % 11 !== 0) d.vector = vectors[i];
  });
  return docs;
}

const FILTERS: Array<RetrievalFilters | undefined> = [
  undefined,
  { types: ['memory'] },
  { types: ['memory', 'episode'] },
  { tags: ['work'] },
  { types: ['episode'], domain: 'ops', outcome: 'SUCCESS' },
  { kinds: ['fact', 'event'], since: T0 + 100 * 600_000 },
  { includeHidden: true },
  { types: ['memory'], tags: ['home'], includeHidden: true },
];

/** Every answer of `index` to a fixed battery of queries, filters and limits. */
async function answers(index: RetrievalIndex) {
  const out: unknown[] = [];
  const queries = ['what did Alice do with the garden?', 'violin cake', 'Bob roof trip', 'when was the dentist?', 'pottery'];
  const vectors = await embedder.embed(queries);
  queries.forEach((text, i) => {
    for (const filters of FILTERS) {
      out.push(index.search({ text, vector: vectors[i], limit: 15, now: T0 + 400 * 86_400_000, ...(filters ? { filters } : {}) }));
      out.push(index.search({ text, vector: vectors[i], limit: 15, now: T0, diversify: false, minScore: 0.2, ...(filters ? { filters } : {}) }));
    }
  });
  return out;
}

/** Restores a snapshot from pieces of `piece` bytes, written in shuffled order. */
function restore(snapshot: IndexSnapshot, piece: number, options: RetrievalOptions = { dim: 64 }): RetrievalIndex {
  const assembler = createImageAssembler(snapshot.header.layout);
  const offsets = Array.from({ length: Math.ceil(snapshot.bytes.length / piece) }, (_, i) => i * piece);
  const r = mulberry32(5);
  offsets.sort(() => r() - 0.5);
  for (const at of offsets) assembler.write(at, snapshot.bytes.slice(at, at + piece));
  return restoreRetrievalIndex(options, JSON.parse(JSON.stringify(snapshot.header)), assembler.finish());
}

describe('index snapshots', () => {
  it('restore an index that answers exactly as the saved one, and stays in step with it afterwards', async () => {
    const docs = await corpus(600, 1);
    // No lazy semantic rebuild: the learned model must come from the snapshot, not be relearned.
    const options: RetrievalOptions = { dim: 64, semantic: { lazyRebuildLimit: 0 } };
    const index = createRetrievalIndex(options);
    index.add(docs);
    index.refresh();
    // Free slots, replaced documents and relinked threads are part of what must survive.
    index.remove(docs.filter((_, i) => i % 9 === 4).map((d) => d.id));
    index.add(docs.filter((_, i) => i % 17 === 3).map((d) => ({ ...d, text: `${d.text} painted a mural`, tags: ['art'] })));
    const restored = restore(index.snapshot(), 4093, options);
    expect(restored.size).toBe(index.size);
    expect(await answers(restored)).toEqual(await answers(index));

    const more = await corpus(200, 2);
    for (const i of [index, restored]) {
      i.add(more.map((d) => ({ ...d, id: `new-${d.id}` })));
      i.remove(docs.filter((_, k) => k % 5 === 1).map((d) => d.id));
      i.refresh();
    }
    expect(await answers(restored)).toEqual(await answers(index));
    // A snapshot of the restored index restores again.
    expect(await answers(restore(restored.snapshot(), 1 << 16, options))).toEqual(await answers(index));
  });

  it('keeps what each document carries besides its text: hidden, decay and its place on the inferred timeline', async () => {
    const docs = await corpus(300, 3);
    const index = createRetrievalIndex({ dim: 64 });
    index.add(docs);
    const restored = restore(index.snapshot(), 1 << 12);
    const all = { text: 'garden bicycle violin', limit: 300, now: T0, minScore: 0 };
    const hidden = new Set(docs.filter((d) => d.hidden).map((d) => d.id));
    const unthreaded = new Set(docs.filter((d) => d.type === 'memory' && d.thread === undefined).map((d) => d.id));
    const shown = restored.search(all);
    expect(shown.some((h) => hidden.has(h.id))).toBe(false);
    expect(restored.search({ ...all, filters: { includeHidden: true } }).some((h) => hidden.has(h.id))).toBe(true);
    expect(shown.some((h) => h.parts.decay === 0.4)).toBe(true);
    // Memories without a thread lend each other context through the inferred timeline.
    expect(shown.some((h) => unthreaded.has(h.id) && h.parts.neighbours > 0)).toBe(true);
    expect(shown).toEqual(index.search(all));
  });

  it('keeps any string: ids, tags and thread names with non-ASCII text and lone surrogates', async () => {
    const index = createRetrievalIndex({ dim: 64, semantic: false });
    const odd = ['ünïcødé 🌋', 'lone \ud800 surrogate', '日本語のタグ'];
    index.add(
      odd.map((s, i) => ({ id: `${s}-${i}`, type: 'memory', text: `${s} volcano`, occurredAt: T0, createdAt: T0, importance: 0.5, tags: [s], thread: s })),
    );
    const restored = restore(index.snapshot(), 100, { dim: 64, semantic: false });
    const q = { text: 'volcano', limit: 5, now: T0 };
    expect(restored.search(q)).toEqual(index.search(q));
    odd.forEach((s, i) => {
      expect(restored.search({ ...q, filters: { tags: [s] } }).map((h) => h.id)).toEqual([`${s}-${i}`]);
    });
  });

  it('refuses a snapshot of another format, other options, missing bytes or a bad layout (CACHE_ERROR)', async () => {
    const index = createRetrievalIndex({ dim: 64 });
    index.add(await corpus(80, 3));
    const snapshot = index.snapshot();
    const cacheError = expect.objectContaining({ code: 'CACHE_ERROR' });
    const full = () => {
      const a = createImageAssembler(snapshot.header.layout);
      a.write(0, snapshot.bytes);
      return a.finish();
    };
    expect(() => restoreRetrievalIndex({ dim: 64 }, { ...snapshot.header, format: 999 }, full())).toThrow(cacheError);
    expect(() => restoreRetrievalIndex({ dim: 64, k1: 2 }, snapshot.header, full())).toThrow(cacheError);
    const partial = createImageAssembler(snapshot.header.layout);
    partial.write(0, snapshot.bytes.subarray(0, snapshot.bytes.length - 8));
    expect(() => partial.finish()).toThrow(cacheError);
    const [first, second, ...rest] = snapshot.header.layout.sections;
    expect(() => createImageAssembler({ ...snapshot.header.layout, sections: [second!, first!, ...rest] })).toThrow(cacheError);
    const sections = full();
    sections.delete('bm25.lengths');
    expect(() => restoreRetrievalIndex({ dim: 64 }, snapshot.header, sections)).toThrow(/bm25.lengths/);
    expect(() => restoreRetrievalIndex({ dim: 64 }, { ...snapshot.header, documents: 3 }, full())).toThrow(cacheError);
  });

  it('packs typed arrays at 8-byte offsets and reads them back', () => {
    const values = new Map<string, Int8Array | Float64Array | string[]>([
      ['a', Int8Array.of(1, -2, 3)],
      ['b', Float64Array.of(Math.PI, -0, Infinity)],
      ['c', ['x', '', 'yz']],
    ]);
    const { layout, bytes } = packImage(values);
    expect(layout.sections.every((s) => s.offset % 8 === 0)).toBe(true);
    const a = createImageAssembler(layout);
    a.write(0, bytes);
    const back = a.finish();
    expect([...back.keys()]).toEqual(['a', 'b', 'c']);
    expect(back.get('a')).toEqual(values.get('a'));
    expect(Object.is((back.get('b') as Float64Array)[1], -0)).toBe(true);
    expect(back.get('c')).toEqual(['x', '', 'yz']);
  });
});
