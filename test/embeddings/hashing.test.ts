import { describe, expect, it } from 'vitest';
import { createHashingEmbedder, hashingVector } from '../../src/embeddings/hashing.js';
import { lightStem, normalizeText } from '../../src/embeddings/text.js';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
const norm = (v: Float32Array): number => Math.sqrt(cosine(v, v));

describe('hashing embedder', () => {
  it('has a versioned id naming its dimension', () => {
    expect(createHashingEmbedder().id).toBe('hashing-v1-384');
    expect(createHashingEmbedder({ dim: 64 })).toMatchObject({ id: 'hashing-v1-64', dim: 64 });
  });

  it('returns one unit vector of length dim per text, in order', async () => {
    const embedder = createHashingEmbedder({ dim: 128 });
    const vectors = await embedder.embed(['first text about gardens', 'second text about engines', 'x y z 42']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(128);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cosine(vectors[0]!, vectors[1]!)).toBeLessThan(0.99);
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'Caroline went to the LGBTQ support group on 7 May 2023.';
    const [a] = await createHashingEmbedder().embed([text]);
    const [b] = await createHashingEmbedder().embed([text]);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it('scores related texts above unrelated ones', () => {
    const query = hashingVector('When did Melanie paint a sunrise?', 384);
    const related = hashingVector('Melanie: I painted that lake sunrise last year, it is special to me.', 384);
    const unrelated = hashingVector('The quarterly tax report is due to the accountant on Friday.', 384);
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.1);
  });

  it('matches word forms, case and accents', () => {
    const a = hashingVector('Running memories in the Café', 384);
    const b = hashingVector('run memory cafe', 384);
    const c = hashingVector('quarterly accountant deadline', 384);
    expect(cosine(a, b)).toBeGreaterThan(0.5);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
  });

  it('gives an all-zero vector, not NaN, for text without letters or digits', async () => {
    const [empty, punctuation] = await createHashingEmbedder().embed(['', '  ?!  ']);
    for (const v of [empty!, punctuation!]) {
      expect(v.every((x) => x === 0)).toBe(true);
    }
  });

  it('embeds stop-word-only and non-Latin text', () => {
    expect(norm(hashingVector('what is it', 384))).toBeCloseTo(1, 5);
    const a = hashingVector('東京で寿司を食べた', 384);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(cosine(a, hashingVector('東京で寿司を食べた', 384))).toBeCloseTo(1, 5);
  });

  it('returns nothing for no texts', async () => {
    await expect(createHashingEmbedder().embed([])).resolves.toEqual([]);
  });

  it('rejects a bad dim with CONFIG_INVALID', () => {
    for (const dim of [0, 8, 10.5, 100_000]) {
      expect(() => createHashingEmbedder({ dim })).toThrow(expect.toBeCairnError('CONFIG_INVALID', /dim must be an integer in 16\.\.8192/));
    }
  });
});

describe('text helpers', () => {
  it('normalises width, case and Latin accents', () => {
    expect(normalizeText('Ｃａｆé ÜBER')).toBe('cafe uber');
  });

  it('stems common English suffixes conservatively', () => {
    expect(['memories', 'memory'].map(lightStem)).toEqual(['memory', 'memory']);
    expect(['walked', 'walking', 'walks', 'walk'].map(lightStem)).toEqual(['walk', 'walk', 'walk', 'walk']);
    expect(['loved', 'loving', 'love'].map(lightStem)).toEqual(['lov', 'lov', 'lov']);
    expect(['running', 'runs'].map(lightStem)).toEqual(['run', 'run']);
    expect(['class', 'bus', 'this', 'fall'].map(lightStem)).toEqual(['class', 'bus', 'this', 'fall']);
  });
});
