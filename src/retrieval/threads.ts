/**
 * Orders the documents of each thread and links every document to its neighbours, so search can
 * find them in O(1) (typed arrays indexed by slot). Two documents adjacent in a thread are
 * neighbours only when they happened within `maxGapMs` of each other: a conversation resumed
 * days later starts a new context even within one source.
 */
export interface ThreadOrder {
  /**
   * Places `slot` in `thread` at position `key` (ties are ordered by slot); `time`: when it
   * happened (epoch ms). Returns the other slots whose previous neighbour changed.
   */
  add(slot: number, thread: string, key: number, time: number): number[];
  /**
   * Takes `slot` out of its thread (no-op when it has none); the documents around it become
   * adjacent. Returns the slots whose previous neighbour changed.
   */
  remove(slot: number): number[];
  /** The neighbour before `slot` in its thread, or -1. */
  previous(slot: number): number;
  /** The neighbour after `slot` in its thread, or -1. */
  next(slot: number): number;
  /** A small integer naming the thread of `slot`, or -1 when it has none. */
  threadOf(slot: number): number;
  /** One more than the highest thread number handed out. */
  readonly threadCount: number;
  /**
   * The link arrays themselves, indexed by slot (-1: none), for hot loops. Valid until the next
   * `add`; slots beyond their length have no thread.
   */
  links(): { readonly prev: Int32Array; readonly next: Int32Array; readonly thread: Int32Array };
}

interface Member {
  key: number;
  slot: number;
}

/**
 * Creates an empty thread order.
 *
 * @param maxGapMs - largest time between two adjacent documents that still makes them neighbours. Default 12 hours.
 */
export function createThreadOrder(maxGapMs = 12 * 3_600_000): ThreadOrder {
  const threads = new Map<string, { index: number; members: Member[] }>();
  const names: string[] = [];
  const keys = new Map<number, number>();
  let prev = new Int32Array(0);
  let next = new Int32Array(0);
  let thread = new Int32Array(0);
  let when = new Float64Array(0);

  const ensure = (slot: number) => {
    if (slot < prev.length) return;
    const size = Math.max(slot + 1, prev.length * 2, 64);
    const grow = (old: Int32Array) => {
      const fresh = new Int32Array(size).fill(-1);
      fresh.set(old);
      return fresh;
    };
    prev = grow(prev);
    next = grow(next);
    thread = grow(thread);
    const times = new Float64Array(size);
    times.set(when);
    when = times;
  };

  /** Links a → b (a before b) when both exist and are close enough in time; else unlinks. */
  const link = (a: number, b: number) => {
    const close = a >= 0 && b >= 0 && Math.abs((when[b] as number) - (when[a] as number)) <= maxGapMs;
    if (a >= 0) next[a] = close ? b : -1;
    if (b >= 0) prev[b] = close ? a : -1;
  };

  const lowerBound = (members: Member[], key: number, slot: number): number => {
    let lo = 0;
    let hi = members.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = members[mid] as Member;
      if (m.key < key || (m.key === key && m.slot < slot)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    get threadCount() {
      return names.length;
    },
    add(slot, name, key, time) {
      ensure(slot);
      when[slot] = time;
      let t = threads.get(name);
      if (!t) {
        t = { index: names.length, members: [] };
        threads.set(name, t);
        names.push(name);
      }
      const at = lowerBound(t.members, key, slot);
      const before = t.members[at - 1]?.slot ?? -1;
      const after = t.members[at]?.slot ?? -1;
      t.members.splice(at, 0, { key, slot });
      keys.set(slot, key);
      thread[slot] = t.index;
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(before, slot);
      link(slot, after);
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    remove(slot) {
      const key = keys.get(slot);
      if (key === undefined) return [];
      const name = names[thread[slot] as number] as string;
      const t = threads.get(name) as { index: number; members: Member[] };
      const at = lowerBound(t.members, key, slot);
      const before = t.members[at - 1]?.slot ?? -1;
      const after = t.members[at + 1]?.slot ?? -1;
      t.members.splice(at, 1);
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(before, after);
      prev[slot] = -1;
      next[slot] = -1;
      thread[slot] = -1;
      keys.delete(slot);
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    links: () => ({ prev, next, thread }),
    previous: (slot) => (slot < prev.length ? (prev[slot] as number) : -1),
    next: (slot) => (slot < next.length ? (next[slot] as number) : -1),
    threadOf: (slot) => (slot < thread.length ? (thread[slot] as number) : -1),
  };
}
