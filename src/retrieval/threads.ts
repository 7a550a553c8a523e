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
  /** Everything the order holds, to save and later hand to {@link createThreadOrder}: views valid until the next write. */
  state(): ThreadState;
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
  /** When the document was written (what an inferred thread also links by). */
  written: Float64Array;
  /** By thread number: the largest gap between neighbours, ms. */
  gaps: Float64Array;
  /** By thread number: 1 for an inferred thread (neighbours must also be written within its gap). */
  byWrite: Uint8Array;
}

/**
 * Creates an empty thread order, or one holding a saved `state`.
 *
 * @param maxGapMs - largest time between two adjacent documents of a named thread that still makes them neighbours. Default 12 hours.
 */
export function createThreadOrder(maxGapMs = 12 * 3_600_000, state?: ThreadState): ThreadOrder {
  const names: string[] = state ? state.names : [];
  const byName = new Map<string, number>();
  for (let i = 0; i < names.length; i++) byName.set(names[i] as string, i);
  // Per thread: its slots sorted by (key, slot), its gap, and whether it links by write time too.
  const members: number[][] = [];
  const gaps: number[] = state ? Array.from(state.gaps) : [];
  const byWrite: boolean[] = state ? Array.from(state.byWrite, (b) => b === 1) : [];
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
  let written = state?.written ?? new Float64Array(0);
  // Segments are not saved: a restored order numbers them on its first links().
  let segment = new Int32Array(prev.length).fill(-1);
  let segments = 0;
  // Appending at the end of a thread (the common write) numbers the new slot at once; any other
  // change renumbers every segment on the next links().
  let stale = state !== undefined;

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
    key = growTimes(key);
    when = growTimes(when);
    written = growTimes(written);
  };

  /** Links a → b (a before b, both of thread t) when both exist and are close enough; else unlinks. */
  const link = (t: number, a: number, b: number) => {
    const gap = gaps[t] as number;
    const close =
      a >= 0 &&
      b >= 0 &&
      Math.abs((when[b] as number) - (when[a] as number)) <= gap &&
      (!byWrite[t] || Math.abs((written[b] as number) - (written[a] as number)) <= gap);
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
    add(slot, name, k, time, rule) {
      ensure(slot);
      when[slot] = time;
      written[slot] = rule?.written ?? time;
      let t = byName.get(name);
      if (t === undefined) {
        t = names.length;
        byName.set(name, t);
        names.push(name);
        members.push([]);
        gaps.push(rule ? rule.gapMs : maxGapMs);
        byWrite.push(rule !== undefined);
      }
      const list = members[t] as number[];
      const at = lowerBound(list, k, slot);
      const before = at > 0 ? (list[at - 1] as number) : -1;
      const after = at < list.length ? (list[at] as number) : -1;
      list.splice(at, 0, slot);
      key[slot] = k;
      thread[slot] = t;
      const had = after >= 0 ? (prev[after] as number) : -1;
      link(t, before, slot);
      link(t, slot, after);
      if (after >= 0 || stale) stale = true;
      else segment[slot] = prev[slot] === -1 ? segments++ : (segment[before] as number);
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
      link(t, before, after);
      prev[slot] = -1;
      next[slot] = -1;
      thread[slot] = -1;
      segment[slot] = -1;
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
    state() {
      const counts = Int32Array.from(members, (list) => list.length);
      const all = new Int32Array(counts.reduce((a, n) => a + n, 0));
      let at = 0;
      for (const list of members) {
        all.set(list, at);
        at += list.length;
      }
      return {
        names,
        gaps: Float64Array.from(gaps),
        byWrite: Uint8Array.from(byWrite, (b) => (b ? 1 : 0)),
        members: all,
        counts,
        thread,
        prev,
        next,
        key,
        when,
        written,
      };
    },
  };
}
