import { CairnError } from '../../errors.js';
import { createTopK } from '../topk.js';
import { createInt8Codes, type Int8Codes } from './codes.js';
import { createDotKernel } from './kernel.js';

/** A scored key. */
export interface VectorHit {
  key: number;
  /** Exact cosine similarity (dot product of unit vectors). */
  score: number;
}

/** Exact nearest-neighbour search over unit vectors keyed by integers. */
export interface VectorIndex {
  readonly dim: number;
  readonly size: number;
  /** Adds or replaces the vector of `key` (normalised on the way in; a zero vector stays zero). */
  set(key: number, vector: Float32Array): void;
  /** Removes `key`; returns whether it was held. */
  delete(key: number): boolean;
  has(key: number): boolean;
  /** The stored (normalised) vector of `key`, as a view valid until the next `set`/`delete`. */
  get(key: number): Float32Array | undefined;
  /** Dot product of `query` with the stored vector of `key` (0 when absent). */
  similarity(query: Float32Array, key: number): number;
  /**
   * The k keys with the highest cosine to `query` among those `accept` allows, best first. Exact:
   * equal to a brute-force scan (int8 codes pre-score every row, then every row whose error bound
   * could reach the k-th exact score is rescored in float). With `approximate`, the k best int8
   * pre-scores are taken as they are (each within ~0.01 of exact) and only they are rescored:
   * for signals where a near-tie at the k-th place does not matter.
   */
  search(query: Float32Array, k: number, accept?: (key: number) => boolean, approximate?: boolean): VectorHit[];
}

/** Options of {@link createVectorIndex}. */
export interface VectorIndexOptions {
  dim: number;
  /** Use the WebAssembly SIMD pre-scorer when available. Default true; false forces plain float scans. */
  simd?: boolean;
}

/** Creates an exact vector index with contiguous row storage that grows by doubling. */
export function createVectorIndex(options: VectorIndexOptions): VectorIndex {
  const { dim } = options;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new CairnError('INVALID_INPUT', `vector index: dim must be a positive integer, got ${dim}`);
  }
  const kernel = options.simd === false ? null : createDotKernel();
  const codes = kernel ? createInt8Codes(dim, kernel) : null;

  let capacity = 0;
  let size = 0;
  let rows = new Float32Array(0);
  let scales = new Float64Array(0);
  let errNorms = new Float64Array(0);
  let rowKey = new Int32Array(0);
  const rowOf = new Map<number, number>();
  // Largest quantisation error of any row ever stored: a bound for every row (deletes keep it valid).
  let maxErrNorm = 0;

  const grow = (need: number) => {
    if (need <= capacity) return;
    const next = Math.max(need, capacity * 2, 64);
    const copy = <T extends Float32Array | Float64Array | Int32Array>(old: T, make: (n: number) => T, per: number): T => {
      const fresh = make(next * per);
      fresh.set(old.subarray(0, size * per));
      return fresh;
    };
    rows = copy(rows, (n) => new Float32Array(n), dim);
    scales = copy(scales, (n) => new Float64Array(n), 1);
    errNorms = copy(errNorms, (n) => new Float64Array(n), 1);
    rowKey = copy(rowKey, (n) => new Int32Array(n), 1);
    codes?.reserve(next);
    capacity = next;
  };

  const encode = (row: number) => {
    if (!codes) return;
    const { scale, errNorm } = codes.encode(row, rows.subarray(row * dim, row * dim + dim));
    scales[row] = scale;
    errNorms[row] = errNorm;
    maxErrNorm = Math.max(maxErrNorm, errNorm);
  };

  const dotRow = (query: Float32Array, row: number): number => {
    const base = row * dim;
    // Four independent sums: the loop is bound by add latency, not by loads.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      s0 += (rows[base + j] as number) * (query[j] as number);
      s1 += (rows[base + j + 1] as number) * (query[j + 1] as number);
      s2 += (rows[base + j + 2] as number) * (query[j + 2] as number);
      s3 += (rows[base + j + 3] as number) * (query[j + 3] as number);
    }
    for (; j < dim; j++) s0 += (rows[base + j] as number) * (query[j] as number);
    return s0 + s1 + s2 + s3;
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

  const searchCoded = (c: Int8Codes, query: Float32Array, topK: number, accept?: (key: number) => boolean, approximate = false): VectorHit[] => {
    const scored = c.score(query, size);
    if (!scored) return searchExact(query, topK, accept);
    const { raw, scale: qScale, err: qErr, norm: qNorm } = scored;
    // |x·q − approx| ≤ ‖e_q‖ + ‖e_x‖(‖q‖ + ‖e_q‖) for unit (or zero) rows x. The k best
    // approximations guarantee a k-th exact score ≥ (their floor − the largest bound), so a row
    // below that line can never make the top k; the rest are candidates for exact rescoring.
    const base = qErr + 1e-6;
    const perErr = qNorm + qErr;
    const maxBound = base + maxErrNorm * perErr;
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
      if (a + base + (errNorms[r] as number) * perErr < line) continue;
      if (accept && !accept(rowKey[r] as number)) continue;
      candidates.push(r);
      candidateApprox.push(a);
      coarse.push(r, a);
      line = coarse.threshold() - maxBound;
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
      if ((candidateApprox[i] as number) + base + (errNorms[r] as number) * perErr < exact.threshold() || first.has(r)) continue;
      exact.push(r, dotRow(query, r));
    }
    return exact.sorted().map(({ key, score }) => ({ key: rowKey[key] as number, score }));
  };

  return {
    dim,
    get size() {
      return size;
    },
    has: (key) => rowOf.has(key),
    get(key) {
      const row = rowOf.get(key);
      return row === undefined ? undefined : rows.subarray(row * dim, row * dim + dim);
    },
    similarity(query, key) {
      const row = rowOf.get(key);
      return row === undefined ? 0 : dotRow(query, row);
    },
    set(key, vector) {
      checkDim(vector, 'vector');
      let row = rowOf.get(key);
      if (row === undefined) {
        grow(size + 1);
        row = size++;
        rowOf.set(key, row);
        rowKey[row] = key;
      }
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += (vector[j] as number) ** 2;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < dim; j++) rows[row * dim + j] = (vector[j] as number) * inv;
      encode(row);
    },
    delete(key) {
      const row = rowOf.get(key);
      if (row === undefined) return false;
      rowOf.delete(key);
      const last = --size;
      if (row !== last) {
        // Keep storage contiguous: the last row moves into the hole.
        rows.copyWithin(row * dim, last * dim, last * dim + dim);
        codes?.move(last, row);
        scales[row] = scales[last] as number;
        errNorms[row] = errNorms[last] as number;
        const moved = rowKey[last] as number;
        rowKey[row] = moved;
        rowOf.set(moved, row);
      }
      return true;
    },
    search(query, k, accept, approximate) {
      checkDim(query, 'query vector');
      if (k <= 0 || size === 0) return [];
      return codes ? searchCoded(codes, query, k, accept, approximate) : searchExact(query, k, accept);
    },
  };
}
