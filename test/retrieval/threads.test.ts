import { describe, expect, it } from 'vitest';
import { createThreadOrder } from '../../src/retrieval/threads.js';

describe('thread order', () => {
  it('links neighbours by key, whatever the insertion order, and relinks on removal', () => {
    const t = createThreadOrder();
    t.add(10, 'a', 3, 0);
    t.add(11, 'a', 1, 0);
    t.add(12, 'a', 2, 0);
    t.add(13, 'b', 2, 0);
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

  it('does not link documents further apart in time than the gap, also after removals', () => {
    const hour = 3_600_000;
    const t = createThreadOrder(6 * hour);
    t.add(1, 's', 1, 0);
    t.add(2, 's', 2, hour);
    t.add(3, 's', 3, 2 * 24 * hour);
    t.add(4, 's', 4, 2 * 24 * hour + hour);
    expect([t.next(1), t.next(2), t.previous(3), t.next(3)]).toEqual([2, -1, -1, 4]);
    t.remove(2);
    expect([t.next(1), t.previous(3)]).toEqual([-1, -1]);
    expect(t.add(5, 's', 2.5, 2 * 24 * hour - hour)).toEqual([3]);
    expect([t.previous(5), t.next(5), t.previous(3)]).toEqual([-1, 3, 5]);
    expect(t.add(6, 's', 5, 9 * 24 * hour)).toEqual([]);
    expect(t.remove(5)).toEqual([3]);
    expect(t.remove(4)).toEqual([]);
  });

  it('links an inferred thread only where both the dates and the write times are within its gap', () => {
    const minute = 60_000;
    const t = createThreadOrder();
    const rule = (written: number) => ({ gapMs: 30 * minute, written });
    t.add(1, 'inferred', 1, 0, rule(0));
    t.add(2, 'inferred', 2, 5 * minute, rule(minute));
    t.add(3, 'inferred', 3, 5 * minute, rule(2 * 3_600_000)); // written two hours later
    t.add(4, 'inferred', 4, 400 * 24 * 60 * minute, rule(2 * 3_600_000 + minute)); // dated a year later
    t.add(5, 'inferred', 5, 400 * 24 * 60 * minute, rule(2 * 3_600_000 + 2 * minute));
    expect([t.next(1), t.next(2), t.next(3), t.next(4)]).toEqual([2, -1, -1, 5]);
  });

  it('numbers segments (runs of linked neighbours) and renumbers them after a change in the middle', () => {
    const hour = 3_600_000;
    const t = createThreadOrder(6 * hour);
    for (const [slot, time] of [
      [0, 0],
      [1, hour],
      [2, 2 * 24 * hour],
      [3, 2 * 24 * hour + hour],
    ] as const)
      t.add(slot, 's', slot, time);
    t.add(9, 'other', 1, 0);
    const seg = () => {
      const { segment, segments } = t.links();
      return { of: [0, 1, 2, 3, 9].map((s) => segment[s]), segments };
    };
    let now = seg();
    expect(now.of[0]).toBe(now.of[1]);
    expect(now.of[2]).toBe(now.of[3]);
    expect(new Set(now.of).size).toBe(3);
    expect(now.segments).toBeGreaterThanOrEqual(3);
    t.add(5, 's', 1.5, 24 * hour); // between the two runs, near neither: a segment of its own
    now = seg();
    expect(t.links().segment[5]).not.toBe(now.of[1]);
    expect(t.links().segment[5]).not.toBe(now.of[2]);
    t.remove(1);
    now = seg();
    expect(now.of[1]).toBe(-1);
    expect(now.of[0]).not.toBe(now.of[2]);
  });
});
