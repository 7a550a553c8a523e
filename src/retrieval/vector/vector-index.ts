import { CairnError } from '../../errors.js';
import { createTopK } from '../topk.js';
import { createInt8Codes } from './codes.js';
import { createDotKernel } from './kernel.js';

/** A scored key. */
export interface VectorHit {
  key: number;
  /** Cosine similarity of the query with the stored vector. */
  score: number;
}

/**
 * Nearest-neighbour search over unit vectors keyed by integers. A vector is stored as int8 codes
 * with one scale per row, chosen so the stored vector `scale · code` has length 1: a quarter of
 * float32 rows, and within ~0.01 of the vector given (cosines move by less, typically ~0.001).
 * Search is exact over the stored vectors.
 */
export interface VectorIndex {
  readonly dim: number;
  readonly size: number;
  /** Adds or replaces the vector of `key` (normalised and quantised on the way in; a zero vector stays zero). */
  set(key: number, vector: Float32Array): void;
  /** Removes `key`; returns whether it was held. */
  delete(key: number): boolean;
  has(key: number): boolean;
  /** A copy of the stored vector of `key`. */
  get(key: number): Float32Array | undefined;
  /** Dot product of `query` with the stored vector of `key` (0 when absent). */
  similarity(query: Float32Array, key: number): number;
  /**
   * The k keys with the highest cosine to `query` among those `accept` allows, best first. Exact:
   * equal to a brute-force scan of the stored vectors (the kernel pre-scores every row with an
   * int16 copy of the query, then every row whose error bound could reach the k-th exact score is
   * rescored). With `approximate`, the k best pre-scores are taken as they are and only they are
   * rescored: for signals where a near-tie at the k-th place does not matter.
   */
  search(query: Float32Array, k: number, accept?: (key: number) => boolean, approximate?: boolean): VectorHit[];
  /** Everything the index holds, to save and later hand to {@link createVectorIndex}: views valid until the next write. */
  state(): VectorState;
  /** Resolves true once searches over many rows are split across two threads, false when they never will be. */
  parallel(): Promise<boolean>;
}

/** A saved vector index: `size` rows, `stride` code bytes each, in row order. */
export interface VectorState {
  dim: number;
  stride: number;
  size: number;
  codes: Int8Array;
  scales: Float64Array;
  /** The key of each row. */
  keys: Int32Array;
}

/** Options of {@link createVectorIndex}. */
export interface VectorIndexOptions {
  dim: number;
  /** Use the WebAssembly SIMD pre-scorer when available. Default true; false forces plain scans. */
  simd?: boolean;
  /** Rows from which the pre-scorer splits a search with a helper thread. Default `PARALLEL_MIN_ROWS`. */
  parallelMinRows?: number;
}

/**
 * Creates a vector index with contiguous row storage that grows by doubling, empty or holding a
 * saved `state` (its codes are copied into the kernel's memory).
 *
 * @throws CairnError `INVALID_INPUT` for a bad dim, `CACHE_ERROR` for a state that does not fit.
 */
export function createVectorIndex(options: VectorIndexOptions, state?: VectorState): VectorIndex {
  const { dim } = options;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new CairnError('INVALID_INPUT', `vector index: dim must be a positive integer, got ${dim}`);
  }
  const kernel = options.simd === false ? null : createDotKernel(options.parallelMinRows);
  const codes = createInt8Codes(dim, kernel);
  const { stride } = codes;

  let capacity = 0;
  let size = 0;
  let scales = new Float64Array(0);
  let rowKey = new Int32Array(0);
  // Row of each key, -1 when absent.
  let rowOf = new Int32Array(0);

  const grow = (need: number) => {
    if (need <= capacity) return;
    const next = Math.max(need, capacity * 2, 64);
    const nextScales = new Float64Array(next);
    nextScales.set(scales.subarray(0, size));
    scales = nextScales;
    const nextKeys = new Int32Array(next);
    nextKeys.set(rowKey.subarray(0, size));
    rowKey = nextKeys;
    codes.reserve(next);
    capacity = next;
  };
  const rowFor = (key: number) => (key >= 0 && key < rowOf.length ? (rowOf[key] as number) : -1);
  const placeKey = (key: number, row: number) => {
    if (key >= rowOf.length) {
      const fresh = new Int32Array(Math.max(key + 1, rowOf.length * 2, 64)).fill(-1);
      fresh.set(rowOf);
      rowOf = fresh;
    }
    rowOf[key] = row;
  };

  if (state) {
    if (
      state.dim !== dim ||
      state.stride !== stride ||
      state.codes.length !== state.size * stride ||
      state.scales.length !== state.size ||
      state.keys.length !== state.size
    ) {
      throw new CairnError('CACHE_ERROR', `vector index: saved state does not fit a ${dim}-d index`);
    }
    grow(state.size);
    let maxKey = -1;
    for (let r = 0; r < state.size; r++) maxKey = Math.max(maxKey, state.keys[r] as number);
    rowOf = new Int32Array(maxKey + 1).fill(-1);
    const { bytes, offset } = codes.view();
    bytes.set(state.codes, offset);
    scales.set(state.scales);
    rowKey.set(state.keys);
    size = state.size;
    for (let r = 0; r < size; r++) placeKey(rowKey[r] as number, r);
  }

  /** Exact dot product of `query` with the stored vector of `row`. */
  const dotRow = (query: Float32Array, row: number): number => {
    const { bytes, offset } = codes.view();
    const base = offset + row * stride;
    // Four independent sums: the loop is bound by add latency, not by loads.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      s0 += (bytes[base + j] as number) * (query[j] as number);
      s1 += (bytes[base + j + 1] as number) * (query[j + 1] as number);
      s2 += (bytes[base + j + 2] as number) * (query[j + 2] as number);
      s3 += (bytes[base + j + 3] as number) * (query[j + 3] as number);
    }
    for (; j < dim; j++) s0 += (bytes[base + j] as number) * (query[j] as number);
    return (s0 + s1 + s2 + s3) * (scales[row] as number);
  };

  const checkDim = (v: Float32Array, what: string) => {
    if (v.length !== dim) {
      throw new CairnError('INVALID_INPUT', `vector index: ${what} has length ${v.length}; this index holds ${dim}-d vectors`);
    }
  };

  const searchExact = (query: Float32Array, k: number, accept?: (key: number) => boolean): VectorHit[] => {
    const top = createTopK(k);
    for (let r = 0; r < size; r++) {
      const key = rowKey[r] as number;
      if (accept && !accept(key)) continue;
      top.push(key, dotRow(query, r));
    }
    return top.sorted().map(({ key, score }) => ({ key, score }));
  };

  const searchCoded = (query: Float32Array, topK: number, accept?: (key: number) => boolean, approximate = false): VectorHit[] => {
    const scored = codes.score(query, size);
    if (!scored) return searchExact(query, topK, accept);
    const { raw, scale: qScale, err: qErr } = scored;
    // Stored rows have length 1 (or 0), so |q·x − pre-score| ≤ ‖q − q16‖ (plus float rounding).
    // A row whose pre-score is more than twice that below the k-th best can never make the top k.
    const bound = qErr + 1e-6;
    const coarse = createTopK(topK);
    if (approximate) {
      let floor = -Infinity;
      for (let r = 0; r < size; r++) {
        const a = (raw[r] as number) * (scales[r] as number) * qScale;
        if (a <= floor || (accept && !accept(rowKey[r] as number))) continue;
        coarse.push(r, a);
        floor = coarse.threshold();
      }
      const rescored = coarse.sorted().map(({ key: r }) => ({ key: rowKey[r] as number, score: dotRow(query, r) }));
      return rescored.sort((a, b) => b.score - a.score || a.key - b.key);
    }
    let line = -Infinity;
    const candidates: number[] = [];
    const candidateApprox: number[] = [];
    for (let r = 0; r < size; r++) {
      const a = (raw[r] as number) * (scales[r] as number) * qScale;
      if (a + bound < line) continue;
      if (accept && !accept(rowKey[r] as number)) continue;
      candidates.push(r);
      candidateApprox.push(a);
      coarse.push(r, a);
      line = coarse.threshold() - bound;
    }
    // The coarse top k first sets a high exact floor; the other candidates are then rescored only
    // when their upper bound still reaches it.
    const exact = createTopK(topK);
    const first = new Set<number>();
    for (const { key: r } of coarse.sorted()) {
      exact.push(r, dotRow(query, r));
      first.add(r);
    }
    for (let i = 0; i < candidates.length; i++) {
      const r = candidates[i] as number;
      if ((candidateApprox[i] as number) + bound < exact.threshold() || first.has(r)) continue;
      exact.push(r, dotRow(query, r));
    }
    return exact.sorted().map(({ key, score }) => ({ key: rowKey[key] as number, score }));
  };

  return {
    dim,
    get size() {
      return size;
    },
    has: (key) => rowFor(key) >= 0,
    get(key) {
      const row = rowFor(key);
      if (row < 0) return undefined;
      const { bytes, offset } = codes.view();
      const base = offset + row * stride;
      const scale = scales[row] as number;
      const out = new Float32Array(dim);
      for (let j = 0; j < dim; j++) out[j] = (bytes[base + j] as number) * scale;
      return out;
    },
    similarity(query, key) {
      const row = rowFor(key);
      return row < 0 ? 0 : dotRow(query, row);
    },
    set(key, vector) {
      checkDim(vector, 'vector');
      let row = rowFor(key);
      if (row < 0) {
        grow(size + 1);
        row = size++;
        placeKey(key, row);
        rowKey[row] = key;
      }
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(vector[j] as number));
      const { bytes, offset } = codes.view();
      const base = offset + row * stride;
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const c = max === 0 ? 0 : Math.round(((vector[j] as number) / max) * 127);
        bytes[base + j] = c;
        norm += c * c;
      }
      scales[row] = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    },
    delete(key) {
      const row = rowFor(key);
      if (row < 0) return false;
      rowOf[key] = -1;
      const last = --size;
      if (row !== last) {
        // Keep storage contiguous: the last row moves into the hole.
        codes.move(last, row);
        scales[row] = scales[last] as number;
        const moved = rowKey[last] as number;
        rowKey[row] = moved;
        rowOf[moved] = row;
      }
      return true;
    },
    search(query, k, accept, approximate) {
      checkDim(query, 'query vector');
      if (k <= 0 || size === 0) return [];
      return searchCoded(query, k, accept, approximate);
    },
    parallel: () => kernel?.parallel() ?? Promise.resolve(false),
    state() {
      const { bytes, offset } = codes.view();
      return { dim, stride, size, codes: bytes.subarray(offset, offset + size * stride), scales: scales.subarray(0, size), keys: rowKey.subarray(0, size) };
    },
  };
}
