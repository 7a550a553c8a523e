import { describe, expect, it } from 'vitest';
import { type Bm25Index, createBm25Index } from '../../src/retrieval/text/bm25.js';
import { createTokenizer } from '../../src/retrieval/text/tokenize.js';

const tok = createTokenizer();

function rank(index: Bm25Index, query: string): number[] {
  const terms = new Map<number, number>();
  for (const t of tok.terms(query)) {
    const id = index.termId(t);
    if (id >= 0) terms.set(id, (terms.get(id) ?? 0) + 1);
  }
  const scores = new Float64Array(64);
  const touched: number[] = [];
  index.score(terms, scores, touched);
  return touched.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

function corpus(texts: string[]): Bm25Index {
  const index = createBm25Index();
  for (const [slot, text] of texts.entries()) index.add(slot, [{ terms: tok.terms(text), weight: 1 }]);
  return index;
}

describe('BM25', () => {
  const texts = [
    'the cat sat on the mat',
    'a dog chased the cat around the garden',
    'dogs and cats living together',
    'quantum chromodynamics lecture notes',
    'the cat, the cat, the cat again: a cat story',
  ];

  it('ranks by term rarity, frequency and length on a small corpus', () => {
    const index = corpus(texts);
    // Every cat document matches; the repeated-cat story saturates highest; the long dog text is last.
    expect(rank(index, 'cat')).toEqual([4, 0, 2, 1]);
    // "chased" is rare: the one document holding it wins over those holding only "cat".
    expect(rank(index, 'cat chased')[0]).toBe(1);
    expect(rank(index, 'quantum lecture')).toEqual([3]);
    expect(rank(index, 'unknown words')).toEqual([]);
  });

  it('gives idf > 0 that falls with document frequency', () => {
    const index = corpus(texts);
    const idf = (t: string) => index.idf(index.termId(tok.terms(t)[0] as string));
    expect(idf('quantum')).toBeGreaterThan(idf('cat'));
    expect(idf('cat')).toBeGreaterThan(0);
  });

  it('weights fields (BM25F): a term in a weight-3 field beats the same term in text', () => {
    const index = createBm25Index();
    index.add(0, [{ terms: tok.terms('notes about the garden'), weight: 1 }]);
    index.add(1, [
      { terms: tok.terms('notes about things'), weight: 1 },
      { terms: tok.terms('garden'), weight: 3 },
    ]);
    expect(rank(index, 'garden')).toEqual([1, 0]);
  });

  it('remove() drops a document from postings, counts and idf, and its slot can be reused', () => {
    const index = corpus(texts);
    const before = index.df(index.termId('cat'));
    index.remove(4);
    expect(index.docCount).toBe(4);
    expect(index.df(index.termId('cat'))).toBe(before - 1);
    expect(rank(index, 'cat')).not.toContain(4);
    index.remove(4);
    expect(index.docCount).toBe(4);
    index.add(4, [{ terms: tok.terms('quantum cat'), weight: 1 }]);
    expect(rank(index, 'quantum')).toEqual(expect.arrayContaining([3, 4]));
    expect(index.terms(4)?.ids.length).toBe(2);
  });
});
