/**
 * Lists of (int32 id, float32 value) pairs keyed by small integers — postings per term, terms
 * per document — all in one slab of typed arrays instead of one JavaScript array (or typed array
 * object) per list: at 100k documents that is millions of pairs in four allocations, and a saved
 * pool is its arrays as they are.
 */
export interface ListPool {
  /** One more than the highest key ever used. */
  readonly keyLimit: number;
  /** Pairs held under `key` (0 for a key never used). */
  length(key: number): number;
  /**
   * The slab itself, for hot loops: the pairs of `key` are `ids[start(key) + i]` (and `values[…]`)
   * for i < length(key). Valid until the next write.
   */
  slab(): { readonly ids: Int32Array; readonly values: Float32Array };
  start(key: number): number;
  /** Copies of the ids of `key`. */
  idsOf(key: number): Int32Array;
  /** Replaces the list of `key` (values default to 0). */
  set(key: number, ids: ArrayLike<number>, values?: ArrayLike<number>): void;
  /** Adds one pair at the end of the list of `key`. */
  append(key: number, id: number, value: number): void;
  /**
   * Removes the last pair with `id` from the list of `key` by moving the list's last pair into
   * its place (order within a list carries no meaning to its users). Returns whether it was there.
   */
  removeId(key: number, id: number): boolean;
  /** Empties the list of `key`. */
  clear(key: number): void;
  /** The pool compacted into fresh arrays (lists in key order, no spare room). */
  state(): ListPoolState;
}

/** A saved pool: list `k` is `ids/values[start[k] … start[k] + length[k])`. */
export interface ListPoolState {
  start: Int32Array;
  length: Int32Array;
  ids: Int32Array;
  /** Null for a pool created without values. */
  values: Float32Array | null;
}

/** Slab growth factor: a pool holds at most about this many times its live pairs (plus reclaimable room). */
const GROWTH = 1.5;

/**
 * Creates an empty pool, or one holding `state` (its arrays are used as they are, not copied).
 *
 * @param withValues - keep a float per pair. Default true.
 */
export function createListPool(withValues = true, state?: ListPoolState): ListPool {
  let start = state?.start ?? new Int32Array(64);
  let length = state?.length ?? new Int32Array(64);
  let capacity = state ? state.length.slice() : new Int32Array(64);
  let keyLimit = state?.start.length ?? 0;
  let ids = state?.ids ?? new Int32Array(1024);
  let values = state?.values ?? new Float32Array(withValues ? ids.length : 0);
  let used = state ? state.ids.length : 0;
  // Room left behind by lists that moved or shrank to nothing; reclaimed by compaction.
  let wasted = 0;

  const ensureKey = (key: number) => {
    if (key < keyLimit) return;
    if (key >= start.length) {
      const size = Math.max(key + 1, start.length * 2);
      const grow = (old: Int32Array) => {
        const fresh = new Int32Array(size);
        fresh.set(old.subarray(0, keyLimit));
        return fresh;
      };
      start = grow(start);
      length = grow(length);
      capacity = grow(capacity);
    }
    keyLimit = key + 1;
  };

  const compact = (extra: number) => {
    const size = Math.max(1024, Math.ceil((used - wasted + extra) * GROWTH));
    const nextIds = new Int32Array(size);
    const nextValues = new Float32Array(withValues ? size : 0);
    let at = 0;
    for (let k = 0; k < keyLimit; k++) {
      const n = length[k] as number;
      const from = start[k] as number;
      nextIds.set(ids.subarray(from, from + n), at);
      if (withValues) nextValues.set(values.subarray(from, from + n), at);
      start[k] = at;
      capacity[k] = n;
      at += n;
    }
    ids = nextIds;
    values = nextValues;
    used = at;
    wasted = 0;
  };

  /** Room for `n` pairs at the end of the slab; returns where they start. */
  const reserve = (n: number): number => {
    if (used + n > ids.length) {
      if (wasted > used / 4) compact(n);
      if (used + n > ids.length) {
        const size = Math.max(used + n, Math.ceil(ids.length * GROWTH));
        const nextIds = new Int32Array(size);
        nextIds.set(ids.subarray(0, used));
        ids = nextIds;
        if (withValues) {
          const nextValues = new Float32Array(size);
          nextValues.set(values.subarray(0, used));
          values = nextValues;
        }
      }
    }
    const at = used;
    used += n;
    return at;
  };

  const free = (key: number) => {
    wasted += capacity[key] as number;
    length[key] = 0;
    capacity[key] = 0;
  };

  return {
    get keyLimit() {
      return keyLimit;
    },
    length: (key) => (key < keyLimit ? (length[key] as number) : 0),
    start: (key) => (key < keyLimit ? (start[key] as number) : 0),
    slab: () => ({ ids, values }),
    idsOf(key) {
      if (key >= keyLimit) return new Int32Array(0);
      const from = start[key] as number;
      return ids.slice(from, from + (length[key] as number));
    },
    set(key, newIds, newValues) {
      ensureKey(key);
      const n = newIds.length;
      if (n > (capacity[key] as number)) {
        free(key);
        start[key] = reserve(n);
        capacity[key] = n;
      }
      const at = start[key] as number;
      for (let i = 0; i < n; i++) ids[at + i] = newIds[i] as number;
      if (withValues) for (let i = 0; i < n; i++) values[at + i] = newValues ? (newValues[i] as number) : 0;
      length[key] = n;
    },
    append(key, id, value) {
      ensureKey(key);
      const n = length[key] as number;
      if (n === capacity[key]) {
        const room = Math.max(4, n * 2);
        const at = reserve(room);
        // reserve may have compacted: read the list's start after it.
        const src = start[key] as number;
        ids.copyWithin(at, src, src + n);
        if (withValues) values.copyWithin(at, src, src + n);
        wasted += capacity[key] as number;
        start[key] = at;
        capacity[key] = room;
      }
      const at = (start[key] as number) + n;
      ids[at] = id;
      if (withValues) values[at] = value;
      length[key] = n + 1;
    },
    removeId(key, id) {
      if (key >= keyLimit) return false;
      const from = start[key] as number;
      const last = from + (length[key] as number) - 1;
      for (let i = last; i >= from; i--) {
        if (ids[i] !== id) continue;
        ids[i] = ids[last] as number;
        if (withValues) values[i] = values[last] as number;
        length[key] = (length[key] as number) - 1;
        return true;
      }
      return false;
    },
    clear(key) {
      if (key < keyLimit) free(key);
    },
    state() {
      let total = 0;
      for (let k = 0; k < keyLimit; k++) total += length[k] as number;
      const out: ListPoolState = {
        start: new Int32Array(keyLimit),
        length: length.slice(0, keyLimit),
        ids: new Int32Array(total),
        values: withValues ? new Float32Array(total) : null,
      };
      let at = 0;
      for (let k = 0; k < keyLimit; k++) {
        const n = length[k] as number;
        const from = start[k] as number;
        out.start[k] = at;
        out.ids.set(ids.subarray(from, from + n), at);
        out.values?.set(values.subarray(from, from + n), at);
        at += n;
      }
      return out;
    },
  };
}
