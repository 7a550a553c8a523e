import { describe, expect, it } from 'vitest';
import { createThreadOrder } from '../../src/retrieval/threads.js';

describe('thread order', () => {
  it('links neighbours by key, whatever the insertion order, and relinks on removal', () => {
    const t = createThreadOrder();
    t.add(10, 'a', 3);
    t.add(11, 'a', 1);
    t.add(12, 'a', 2);
    t.add(13, 'b', 2);
    expect([t.previous(12), t.next(12)]).toEqual([11, 10]);
    expect([t.previous(11), t.next(10)]).toEqual([-1, -1]);
    expect(t.next(13)).toBe(-1);
    expect(t.threadOf(13)).not.toBe(t.threadOf(10));
    t.remove(12);
    expect([t.next(11), t.previous(10)]).toEqual([10, 11]);
    expect(t.threadOf(12)).toBe(-1);
    t.remove(12);
    expect(t.previous(99)).toBe(-1);
  });
});
