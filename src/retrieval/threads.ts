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
  /** Everything the order holds, to save and later hand to {@link createThreadOrder}: views valid until the next write. */
  state(): ThreadState;
}

/** A saved thread order; arrays by slot unless said otherwise. */
export interface ThreadState {
  /** Thread names, by thread number. */
  names: string[];
  /** Members of each thread in order, thread after thread; `counts[t]` of them belong to thread t. */
  members: Int32Array;
  counts: Int32Array;
  thread: Int32Array;
  prev: Int32Array;
  next: Int32Array;
  /** Position in the thread. */
  key: Float64Array;
  /** When the document happened. */
  when: Float64Array;
}


/**
 * Creates an empty thread order, or one holding a saved `state`.
 *
 * @param maxGapMs - largest time between two adjacent documents that still makes them neighbours. Default 12 hours.
 */
export function createThreadOrder(maxGapMs = 12 * 3_600_000, state?: ThreadState): ThreadOrder {
  const names: string[] = state ? state.names : [];
  const byName = new Map<string, number>();
  for (let i = 0; i < names.length; i++) byName.set(names[i] as string, i);
  // Slots of each thread sorted by (key, slot).
  const members: number[][] = [];
  if (state) {
    let at = 0;
    for (const count of state.counts) {
      members.push(Array.from(state.members.subarray(at, at + count)));
      at += count;
    }
  }
  let prev = state?.prev ?? new Int32Array(0);
  let next = state?.next ?? new Int32Array(0);
  let thread = state?.thread ?? new Int32Array(0);
  let key = state?.key ?? new Float64Array(0);
  let when = state?.when ?? new Float64Array(0);

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
    key = growTimes(key);
    when = growTimes(when);
  };

  /** Links a → b (a before b) when both exist and are close enough in time; else unlinks. */
  const link = (a: number, b: number) => {
    const close = a >= 0 && b >= 0 && Math.abs((when[b] as number) - (when[a] as number)) <= maxGapMs;
    if (a >= 0) next[a] = close ? b : -1;
    if (b >= 0) prev[b] = close ? a : -1;
  };

  const lowerBound = (list: number[], k: number, slot: number): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid] as number;
      const mk = key[m] as number;
      if (mk < k || (mk === k && m < slot)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    get threadCount() {
      return names.length;
    },
    add(slot, name, k, time) {
      ensure(slot);
      when[slot] = time;
      let t = byName.get(name);
      if (t === undefined) {
        t = names.length;
        byName.set(name, t);
        names.push(name);
        members.push([]);
      }
      const list = members[t] as number[];
      const at = lowerBound(list, k, slot);
      const before = at > 0 ? (list[at - 1] as number) : -1;
      const after = at < list.length ? (list[at] as number) : -1;
      list.splice(at, 0, slot);
      key[slot] = k;
      thread[slot] = t;
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(before, slot);
      link(slot, after);
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    remove(slot) {
      const t = slot < thread.length ? (thread[slot] as number) : -1;
      if (t < 0) return [];
      const list = members[t] as number[];
      const at = lowerBound(list, key[slot] as number, slot);
      const before = at > 0 ? (list[at - 1] as number) : -1;
      const after = at + 1 < list.length ? (list[at + 1] as number) : -1;
      list.splice(at, 1);
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(before, after);
      prev[slot] = -1;
      next[slot] = -1;
      thread[slot] = -1;
      return after >= 0 && prev[after] !== had ? [after] : [];
    },
    links: () => ({ prev, next, thread }),
    previous: (slot) => (slot < prev.length ? (prev[slot] as number) : -1),
    next: (slot) => (slot < next.length ? (next[slot] as number) : -1),
    threadOf: (slot) => (slot < thread.length ? (thread[slot] as number) : -1),
    state() {
      const counts = Int32Array.from(members, (list) => list.length);
      const all = new Int32Array(counts.reduce((a, n) => a + n, 0));
      let at = 0;
      for (const list of members) {
        all.set(list, at);
        at += list.length;
      }
      return { names, members: all, counts, thread, prev, next, key, when };
    },
  };
}
