import { describe, expect, it } from 'vitest';
import { createRetrievalIndex } from '../../src/retrieval/index.js';
import { type CsrMatrix, randomizedSvd, seededRandom } from '../../src/retrieval/semantic/linalg.js';
import { createSemanticModel } from '../../src/retrieval/semantic/semantic-model.js';
import type { RetrievalDoc } from '../../src/retrieval/types.js';

const T0 = Date.UTC(2025, 0, 1);

function doc(id: string, text: string): RetrievalDoc {
  return { id, type: 'memory', text, occurredAt: T0, createdAt: T0, importance: 0.5, tags: [] };
}

/**
 * Two topics. "car" and "automobile" never meet in one document but keep the same company
 * (engine, wheel, fuel, road, brake), so they share a direction in the learned space.
 */
function corpus(): RetrievalDoc[] {
  const docs: RetrievalDoc[] = [];
  const cars = ['engine', 'wheel', 'fuel', 'road', 'brake'];
  const baking = ['oven', 'flour', 'sugar', 'butter', 'dough'];
  const three = (words: string[], i: number) => [0, 1, 2].map((k) => words[(i + k) % words.length]).join(' ');
  for (let i = 0; i < 30; i++) docs.push(doc(i % 2 ? `car-${i}` : `auto-${i}`, `${i % 2 ? 'car' : 'automobile'} ${three(cars, i)}`));
  for (let i = 0; i < 30; i++) docs.push(doc(`bake-${i}`, `recipe ${three(baking, i)}`));
  docs.push(doc('target', 'automobile showroom'));
  docs.push(doc('distractor', 'sugar kiosk'));
  return docs;
}

describe('semantic signal', () => {
  it('finds a document that shares no word with the query through co-occurrence', () => {
    const index = createRetrievalIndex({ dim: 8, inferThreads: false, neighbourShare: 0, threadShare: 0, feedback: false, mmrLambda: 1 });
    index.add(corpus());
    index.refresh();
    const hits = index.search({ text: 'car', limit: 70, now: T0 });
    // Among documents without the word "car", the automobile ones (target included) come first.
    const noShared = hits.filter((h) => h.parts.bm25 === 0).map((h) => h.id);
    const automobile = noShared.filter((id) => id === 'target' || id.startsWith('auto-'));
    expect(noShared.slice(0, automobile.length).sort()).toEqual(automobile.sort());
    expect(automobile).toContain('target');
    const target = hits.find((h) => h.id === 'target');
    const distractor = hits.find((h) => h.id === 'distractor');
    expect(target?.parts.semantic).toBeGreaterThan(0.5);
    expect(target?.parts.semantic ?? 0).toBeGreaterThan(distractor?.parts.semantic ?? 0);
  });

  it('without the signal, such a document is not found', () => {
    const index = createRetrievalIndex({ dim: 8, semantic: false, feedback: false });
    index.add(corpus());
    expect(index.search({ text: 'car', limit: 70, now: T0 }).map((h) => h.id)).not.toContain('target');
  });

  it('waits for minDocs, rebuilds when stale, and embeds documents added in between', () => {
    const docs = corpus();
    const slots = new Map<number, { ids: Int32Array; tfs: Float32Array }>();
    const vocabulary = new Map<string, number>();
    const df = new Map<number, number>();
    docs.forEach((d, slot) => {
      const ids = Int32Array.from(new Set(d.text.split(' ')), (w) => {
        if (!vocabulary.has(w)) vocabulary.set(w, vocabulary.size);
        return vocabulary.get(w) as number;
      });
      for (const id of ids) df.set(id, (df.get(id) ?? 0) + 1);
      slots.set(slot, { ids, tfs: new Float32Array(ids.length).fill(1) });
    });
    const live = new Set<number>();
    const model = createSemanticModel(
      {
        slots: () => [...live],
        terms: (slot) => slots.get(slot),
        next: () => undefined,
        df: (id) => df.get(id) ?? 0,
        idf: (id) => Math.log(1 + docs.length / (df.get(id) ?? 1)),
        vocabularySize: vocabulary.size,
      },
      { minDocs: 40, staleFraction: 0.25 },
    );
    for (let s = 0; s < 30; s++) live.add(s);
    expect(model.refresh(live.size)).toBe(false);
    for (let s = 30; s < 60; s++) live.add(s);
    expect(model.refresh(live.size)).toBe(true);
    expect(model.ready).toBe(true);
    expect(model.refresh(live.size)).toBe(false);
    live.add(60);
    model.onAdd(60);
    const query = model.embed(new Map([[vocabulary.get('car') as number, 1]])) as Float32Array;
    expect(model.similarity(query, 60)).toBeGreaterThan(0.5);
    for (let s = 0; s < 20; s++) model.onAdd(s);
    expect(model.refresh(live.size, false)).toBe(true);
    expect(model.refresh(live.size + 100_000, false)).toBe(false);
  });
});

describe('randomized SVD', () => {
  it('recovers the leading singular values of a symmetric matrix', () => {
    // diag(5, 3, 1, 0.5) rotated by a permutation: singular values are the absolute diagonal.
    const values = [5, 3, 1, 0.5];
    const a: CsrMatrix = {
      n: 4,
      rowPtr: Int32Array.from([0, 1, 2, 3, 4]),
      cols: Int32Array.from([2, 3, 0, 1]),
      values: Float32Array.from([values[0], values[1], values[0], values[1]] as number[]),
    };
    const { s } = randomizedSvd(a, 2, seededRandom(3));
    expect(Array.from(s)).toEqual([expect.closeTo(5, 6), expect.closeTo(5, 6)]);
    const diag: CsrMatrix = { n: 4, rowPtr: Int32Array.from([0, 1, 2, 3, 4]), cols: Int32Array.from([0, 1, 2, 3]), values: Float32Array.from(values) };
    expect(Array.from(randomizedSvd(diag, 3, seededRandom(1)).s)).toEqual([expect.closeTo(5, 6), expect.closeTo(3, 6), expect.closeTo(1, 6)]);
  });
});
