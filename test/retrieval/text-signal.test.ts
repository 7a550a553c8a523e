import { describe, expect, it } from 'vitest';
import { createDocStore } from '../../src/retrieval/doc-store.js';
import { resolveOptions } from '../../src/retrieval/options.js';
import { extendSignal, feedbackTerms, textSignal } from '../../src/retrieval/text-signal.js';

function store() {
  const options = resolveOptions({ dim: 2, semantic: false });
  const s = createDocStore(options);
  const words = ['alpha', 'bravo', 'charlie', 'delta'];
  for (let i = 0; i < 40; i++) {
    s.add({
      id: `d${i}`,
      type: 'memory',
      text: `${words[i % 4]} ${words[(i + 1) % 4]} item${i}${' pad'.repeat(i % 7)}`,
      occurredAt: i,
      createdAt: i,
      importance: 0.5,
      tags: [],
      thread: `t${i % 3}`,
      seq: i,
    });
  }
  return { s, options, id: (w: string) => s.bm25.termId(w) };
}

describe('text signal', () => {
  it('lends neighbours and the thread, keeps only the best lenders, and releases every write', () => {
    const { s, options, id } = store();
    const full = textSignal(s, options, new Map([[id('alpha'), 1]]));
    const cut = textSignal(s, options, new Map([[id('alpha'), 1]]), { lenders: 3 });
    const lenders = cut.slots.filter((slot) => (cut.own[slot] as number) > 0);
    expect(full.slots.length).toBeGreaterThan(cut.slots.length);
    expect(lenders.length).toBeGreaterThanOrEqual(3);
    for (const slot of full.slots) expect((full.own[slot] as number) + (full.lent[slot] as number)).toBeGreaterThan(0);
    const arrays = [full.own, full.lent, cut.own, cut.lent];
    full.release();
    cut.release();
    for (const a of arrays) expect(a.every((x) => x === 0)).toBe(true);
  });

  it('extends a signal with more terms as if they had been scored together', () => {
    const { s, options, id } = store();
    const both = textSignal(
      s,
      options,
      new Map([
        [id('alpha'), 1],
        [id('charlie'), 0.5],
      ]),
    );
    const expected = new Map(both.slots.map((slot) => [slot, [both.own[slot], both.lent[slot]]]));
    both.release();
    const grown = extendSignal(s, options, textSignal(s, options, new Map([[id('alpha'), 1]])), new Map([[id('charlie'), 0.5]]));
    expect(new Set(grown.slots)).toEqual(new Set(expected.keys()));
    for (const [slot, [own, lent]] of expected) {
      expect(grown.own[slot]).toBeCloseTo(own as number, 12);
      expect(grown.lent[slot]).toBeCloseTo(lent as number, 12);
    }
    const arrays = [grown.own, grown.lent];
    grown.release();
    for (const a of arrays) expect(a.every((x) => x === 0)).toBe(true);
  });
});

describe('feedback terms', () => {
  /** A store of `n` documents: every one says "common", one in 40 says "rarish", d0 says "target". */
  function corpus(n: number) {
    const options = resolveOptions({ dim: 2, semantic: false });
    const s = createDocStore(options);
    for (let i = 0; i < n; i++) {
      s.add({
        id: `d${i}`,
        type: 'memory',
        text: `common${i % 40 === 0 ? ' rarish' : ''} word${i}${i === 0 ? ' target' : ''}`,
        occurredAt: i,
        createdAt: i,
        importance: 0.5,
        tags: [],
      });
    }
    return { s, id: (w: string) => s.bm25.termId(w) };
  }

  it('leaves out a word most documents of a large namespace hold, and keeps it in a small one', () => {
    for (const [n, keepsCommon] of [
      [60, true],
      [2000, false],
    ] as const) {
      const { s, id } = corpus(n);
      const top = [{ slot: 0, score: 1 }];
      const terms = feedbackTerms(s, top, new Map([[id('target'), 1]]), 10, 0.3);
      expect(terms.has(id('common')), `n = ${n}`).toBe(keepsCommon);
      expect(terms.has(id('rarish')), `n = ${n}`).toBe(true);
      expect(terms.has(id('word0')), `n = ${n}`).toBe(true);
    }
  });
});
