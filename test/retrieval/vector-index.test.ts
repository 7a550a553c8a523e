import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/retrieval/semantic/linalg.js';
import { createDotKernel } from '../../src/retrieval/vector/kernel.js';
import { createVectorIndex, type VectorIndex } from '../../src/retrieval/vector/vector-index.js';

const random = seededRandom(42);

/** A random unit vector; with `density` < 1 most coordinates are 0 (like hashing embeddings). */
function unitVector(dim: number, density = 1): Float32Array {
  const v = Float32Array.from({ length: dim }, () => (random() < density ? random() - 0.5 : 0));
  if (v.every((x) => x === 0)) v[0] = 1;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Stores `v` under `key`, and what the index stored (its quantised copy) in `rows`. */
function put(index: VectorIndex, rows: Map<number, Float32Array>, key: number, v: Float32Array) {
  index.set(key, v);
  rows.set(key, index.get(key) as Float32Array);
}

/** Brute force over a plain map of the stored vectors: the definition the index must match. */
function bruteForce(rows: Map<number, Float32Array>, q: Float32Array, k: number, accept?: (key: number) => boolean) {
  return [...rows.entries()]
    .filter(([key]) => !accept || accept(key))
    .map(([key, v]) => ({ key, score: v.reduce((s, x, i) => s + x * (q[i] as number), 0) }))
    .sort((a, b) => b.score - a.score || a.key - b.key)
    .slice(0, k);
}

/** Same scores at every rank as brute force, each reported score right for its key (ties may swap). */
function expectSameTopK(index: VectorIndex, rows: Map<number, Float32Array>, q: Float32Array, k: number, accept?: (key: number) => boolean) {
  const got = index.search(q, k, accept);
  const want = bruteForce(rows, q, k, accept);
  expect(got).toHaveLength(want.length);
  got.forEach((h, i) => {
    expect(h.score).toBeCloseTo((want[i] as { score: number }).score, 5);
    expect(h.score).toBeCloseTo(bruteForce(new Map([[h.key, rows.get(h.key) as Float32Array]]), q, 1)[0]?.score ?? NaN, 5);
    if (accept) expect(accept(h.key)).toBe(true);
  });
  // Where scores are distinct, the keys must match exactly.
  const distinct = want.filter((w, i) => want.every((o, j) => i === j || Math.abs(o.score - w.score) > 1e-6));
  for (const w of distinct) expect(got.map((h) => h.key)).toContain(w.key);
}

describe('vector index', () => {
  it('stores each vector as int8 codes of unit length, within 0.02 of the unit vector given', () => {
    const index = createVectorIndex({ dim: 384 });
    for (const density of [1, 0.15, 0.01]) {
      for (let key = 0; key < 200; key++) {
        const v = unitVector(384, density);
        index.set(
          key,
          v.map((x) => x * 3),
        );
        const stored = index.get(key) as Float32Array;
        expect(Math.hypot(...stored)).toBeCloseTo(1, 5);
        expect(Math.hypot(...stored.map((x, j) => x - (v[j] as number)))).toBeLessThan(0.02);
        const q = unitVector(384);
        expect(Math.abs(index.similarity(q, key) - q.reduce((s, x, j) => s + x * (v[j] as number), 0))).toBeLessThan(0.02);
      }
    }
  });

  it('saves its state and restores it: same rows, same answers, and it keeps working', () => {
    const index = createVectorIndex({ dim: 50 });
    const rows = new Map<number, Float32Array>();
    for (let key = 0; key < 300; key++) put(index, rows, key * 3, unitVector(50));
    for (let key = 0; key < 300; key += 4) {
      index.delete(key * 3);
      rows.delete(key * 3);
    }
    const restored = createVectorIndex({ dim: 50 }, index.state());
    expect(restored.size).toBe(index.size);
    for (let t = 0; t < 5; t++) {
      const q = unitVector(50);
      expect(restored.search(q, 10)).toEqual(index.search(q, 10));
    }
    for (const [key, v] of rows) expect(restored.get(key)).toEqual(v);
    put(restored, rows, 5000, unitVector(50));
    restored.delete(3);
    rows.delete(3);
    expectSameTopK(restored, rows, unitVector(50), 10);
    expect(() => createVectorIndex({ dim: 40 }, index.state())).toThrow(expect.objectContaining({ code: 'CACHE_ERROR' }));
  });

  for (const [simd, density] of [
    [true, 1],
    [true, 0.15],
    [false, 1],
  ] as const) {
    for (const dim of [384, 50]) {
      it(`top-k equals brute force (simd ${simd}, density ${density}, dim ${dim}), with filters and after removals`, () => {
        const index = createVectorIndex({ dim, simd });
        const rows = new Map<number, Float32Array>();
        const unit = (d: number) => unitVector(d, density);
        for (let key = 0; key < 1500; key++) put(index, rows, key, unit(dim));
        // Near-duplicates stress the int8 error bound: their exact order must still hold.
        const base = unit(dim);
        for (let key = 1500; key < 1520; key++)
          put(
            index,
            rows,
            key,
            base.map((x) => x + (random() - 0.5) * 1e-3),
          );
        for (let t = 0; t < 10; t++) expectSameTopK(index, rows, unit(dim), 10);
        for (let t = 0; t < 5; t++) expectSameTopK(index, rows, unitVector(dim, 0.1), 10);
        expectSameTopK(index, rows, base, 15);
        expectSameTopK(index, rows, unit(dim), 10, (key) => key % 7 === 0);
        expectSameTopK(index, rows, unit(dim), 5000);
        for (let key = 0; key < 1520; key += 3) {
          expect(index.delete(key)).toBe(true);
          rows.delete(key);
        }
        expect(index.delete(0)).toBe(false);
        expect(index.size).toBe(rows.size);
        for (let t = 0; t < 5; t++) expectSameTopK(index, rows, unit(dim), 10);
      });
    }
  }

  it('splits large searches with a helper thread and finds the same top k', async () => {
    const index = createVectorIndex({ dim: 384, parallelMinRows: 256 });
    const rows = new Map<number, Float32Array>();
    for (let key = 0; key < 3000; key++) put(index, rows, key, unitVector(384, key % 3 ? 1 : 0.15));
    expect(await index.parallel()).toBe(true);
    for (let t = 0; t < 10; t++) expectSameTopK(index, rows, unitVector(384), 10);
    expectSameTopK(index, rows, unitVector(384, 0.1), 50, (key) => key % 4 === 1);
    for (let key = 0; key < 3000; key += 2) {
      index.delete(key);
      rows.delete(key);
    }
    for (let t = 0; t < 5; t++) expectSameTopK(index, rows, unitVector(384), 10);
    for (let key = 3000; key < 6000; key++) put(index, rows, key, unitVector(384));
    for (let t = 0; t < 5; t++) expectSameTopK(index, rows, unitVector(384), 10);
    // Below the threshold a search stays on one thread; answers do not depend on it.
    expect(await createVectorIndex({ dim: 8, simd: false }).parallel()).toBe(false);
  });

  it('stays exact across growth and swap-removal, for dense and sparse vectors', () => {
    const index = createVectorIndex({ dim: 40 });
    const rows = new Map<number, Float32Array>();
    for (let round = 0; round < 3; round++) {
      for (let key = round * 700; key < round * 700 + 700; key++) put(index, rows, key, unitVector(40, key % 2 ? 0.1 : 1));
      for (const key of [...rows.keys()].filter((k) => k % 5 === round)) {
        index.delete(key);
        rows.delete(key);
      }
      for (const density of [0.1, 1]) expectSameTopK(index, rows, unitVector(40, density), 20);
    }
  });

  it('normalises on the way in, replaces on set, and treats a zero vector as orthogonal', () => {
    const index = createVectorIndex({ dim: 3 });
    index.set(1, Float32Array.from([3, 0, 0]));
    index.set(2, Float32Array.from([0, 0, 0]));
    expect(Array.from(index.get(1) ?? [])).toEqual([1, 0, 0]);
    expect(index.search(Float32Array.from([1, 0, 0]), 2).map((h) => [h.key, h.score])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    index.set(1, Float32Array.from([0, 2, 0]));
    expect(index.size).toBe(2);
    expect(index.similarity(Float32Array.from([0, 1, 0]), 1)).toBeCloseTo(1);
    expect(index.search(Float32Array.from([0, 0, 0]), 1)).toHaveLength(1);
  });

  it('rejects vectors of the wrong length with INVALID_INPUT', () => {
    const index = createVectorIndex({ dim: 4 });
    expect(() => index.set(1, new Float32Array(3))).toThrow(expect.toBeCairnError('INVALID_INPUT'));
    expect(() => index.search(new Float32Array(5), 1)).toThrow(expect.toBeCairnError('INVALID_INPUT', /holds 4-d vectors/));
    expect(() => createVectorIndex({ dim: 0 })).toThrow(expect.toBeCairnError('INVALID_INPUT', /dim must be a positive integer/));
  });
});

/**
 * Fills a kernel's memory with a random int16 query and `n` random int8 rows, then scores the
 * first `count` rows for each count: exactly those must hold their dot products, the rest untouched.
 */
function expectDots(kernel: NonNullable<ReturnType<typeof createDotKernel>>, n: number, counts: number[]) {
  const stride = 64;
  kernel.memory.grow(2);
  const query = new Int16Array(kernel.memory.buffer, 0, stride);
  const codes = new Int8Array(kernel.memory.buffer, 256, n * stride);
  for (let j = 0; j < stride; j++) query[j] = Math.round((random() - 0.5) * 60_000);
  for (let i = 0; i < codes.length; i++) codes[i] = Math.round((random() - 0.5) * 254);
  const outPtr = 256 + n * stride;
  for (const count of counts) {
    const out = new Int32Array(kernel.memory.buffer, outPtr, n).fill(-1);
    kernel.dots(256, 0, outPtr, count, stride);
    for (let r = 0; r < n; r++) {
      let want = 0;
      for (let j = 0; j < stride; j++) want += (codes[r * stride + j] as number) * (query[j] as number);
      expect(out[r]).toBe(r < count ? want : -1);
    }
  }
}

describe('SIMD dot kernel', () => {
  it('computes int8 × int16 dot products of every row', () => {
    const kernel = createDotKernel();
    expect(kernel).not.toBeNull();
    if (kernel) expectDots(kernel, 37, [37, 5]);
  });

  it('computes every row the same when a helper thread takes half of them', async () => {
    const kernel = createDotKernel(8);
    expect(kernel).not.toBeNull();
    if (!kernel) return;
    expect(await kernel.parallel()).toBe(true);
    expectDots(kernel, 1001, [1001, 9, 8, 7]);
  });
});
