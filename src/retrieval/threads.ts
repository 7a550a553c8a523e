/**
 * Orders the documents of each thread and links every document to its neighbours, so search can
 * find them in O(1) (typed arrays indexed by slot). Two documents adjacent in a thread are
 * neighbours only when they happened within the thread's gap of each other: a conversation resumed
 * days later starts a new context even within one source. A run of linked neighbours is a
 * *segment*; context is shared within a segment, never across a gap.
 */
export interface ThreadOrder {
  /**
   * Places `slot` in `thread` at position `key` (ties are ordered by slot); `time`: when it
   * happened (epoch ms). With `rule`, the thread is one the index inferred rather than one the
   * caller named: its gap is `rule.gapMs`, and neighbours must also have been *written* within it
   * of each other (`rule.written`, epoch ms). A thread keeps the rule of its first document.
   * Returns the other slots whose previous neighbour changed.
   */
  add(slot: number, thread: string, key: number, time: number, rule?: InferredRule): number[];
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
   * The link arrays themselves, indexed by slot (-1: none), for hot loops: `segment` numbers the
   * run of linked neighbours a slot is in (below `segments`). Valid until the next `add` or
   * `remove`; slots beyond their length have no thread.
   */
  links(): ThreadLinks;
}

/** See {@link ThreadOrder.links}. */
export interface ThreadLinks {
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly thread: Int32Array;
  readonly segment: Int32Array;
  /** One more than the highest segment number in `segment`. */
  readonly segments: number;
}

/** How an inferred thread links its documents (see {@link ThreadOrder.add}). */
export interface InferredRule {
  gapMs: number;
  written: number;
}

interface Member {
  key: number;
  slot: number;
}

interface Thread {
  index: number;
  members: Member[];
  gapMs: number;
  /** Inferred: neighbours must also have been written within the gap. */
  byWrite: boolean;
}

/**
 * Creates an empty thread order.
 *
 * @param maxGapMs - largest time between two adjacent documents of a named thread that still makes them neighbours. Default 12 hours.
 */
export function createThreadOrder(maxGapMs = 12 * 3_600_000): ThreadOrder {
  const threads = new Map<string, Thread>();
  const byIndex: Thread[] = [];
  const keys = new Map<number, number>();
  let prev = new Int32Array(0);
  let next = new Int32Array(0);
  let thread = new Int32Array(0);
  let segment = new Int32Array(0);
  let when = new Float64Array(0);
  let written = new Float64Array(0);
  let segments = 0;
  // Appending at the end of a thread (the common write) numbers the new slot at once; any other
  // change renumbers every segment on the next links().
  let stale = false;

  const ensure = (slot: number) => {
    if (slot < prev.length) return;
    const size = Math.max(slot + 1, prev.length * 2, 64);
    const grow = (old: Int32Array) => {
      const fresh = new Int32Array(size).fill(-1);
      fresh.set(old);
      return fresh;
    };
    const growTimes = (old: Float64Array) => {
      const fresh = new Float64Array(size);
      fresh.set(old);
      return fresh;
    };
    prev = grow(prev);
    next = grow(next);
    thread = grow(thread);
    segment = grow(segment);
    when = growTimes(when);
    written = growTimes(written);
  };

  /** Links a → b (a before b, both of thread t) when both exist and are close enough; else unlinks. */
  const link = (t: Thread, a: number, b: number) => {
    const close = a >= 0 && b >= 0 &&
      Math.abs((when[b] as number) - (when[a] as number)) <= t.gapMs &&
      (!t.byWrite || Math.abs((written[b] as number) - (written[a] as number)) <= t.gapMs);
    if (a >= 0) next[a] = close ? b : -1;
    if (b >= 0) prev[b] = close ? a : -1;
  };

  const renumber = () => {
    segments = 0;
    for (let slot = 0; slot < thread.length; slot++) {
      if (thread[slot] === -1 || prev[slot] !== -1) continue;
      for (let s = slot; s >= 0; s = next[s] as number) segment[s] = segments;
      segments++;
    }
    stale = false;
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
      return byIndex.length;
    },
    add(slot, name, key, time, rule) {
      ensure(slot);
      when[slot] = time;
      written[slot] = rule?.written ?? time;
      let t = threads.get(name);
      if (!t) {
        t = { index: byIndex.length, members: [], gapMs: rule ? rule.gapMs : maxGapMs, byWrite: rule !== undefined };
        threads.set(name, t);
        byIndex.push(t);
      }
      const at = lowerBound(t.members, key, slot);
      const before = t.members[at - 1]?.slot ?? -1;
      const after = t.members[at]?.slot ?? -1;
      t.members.splice(at, 0, { key, slot });
      keys.set(slot, key);
      thread[slot] = t.index;
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(t, before, slot);
      link(t, slot, after);
      if (after >= 0 || stale) stale = true;
      else segment[slot] = prev[slot] === -1 ? segments++ : (segment[before] as number);
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    remove(slot) {
      const key = keys.get(slot);
      if (key === undefined) return [];
      const t = byIndex[thread[slot] as number] as Thread;
      const at = lowerBound(t.members, key, slot);
      const before = t.members[at - 1]?.slot ?? -1;
      const after = t.members[at + 1]?.slot ?? -1;
      t.members.splice(at, 1);
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(t, before, after);
      prev[slot] = -1;
      next[slot] = -1;
      thread[slot] = -1;
      segment[slot] = -1;
      keys.delete(slot);
      stale = true;
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    links() {
      if (stale) renumber();
      return { prev, next, thread, segment, segments };
    },
    previous: (slot) => (slot < prev.length ? (prev[slot] as number) : -1),
    next: (slot) => (slot < next.length ? (next[slot] as number) : -1),
    threadOf: (slot) => (slot < thread.length ? (thread[slot] as number) : -1),
  };
}
