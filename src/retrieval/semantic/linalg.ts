import { mulberry32 } from '../../prng.js';
/** A sparse square matrix in compressed sparse row form. */
export interface CsrMatrix {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly cols: Int32Array;
  readonly values: Float32Array;
}

/** A dense row-major matrix of `rows × cols` float64s. */
export interface Dense {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

const dense = (rows: number, cols: number): Dense => ({ rows, cols, data: new Float64Array(rows * cols) });

/** A seeded PRNG (mulberry32) so learned models are reproducible. */
export const seededRandom = mulberry32;

/** Standard normal draws from `random` (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Y = A · X for sparse A (n × n) and dense X (n × k). */
export function sparseTimesDense(a: CsrMatrix, x: Dense): Dense {
  const k = x.cols;
  const y = dense(a.n, k);
  for (let i = 0; i < a.n; i++) {
    const yo = i * k;
    for (let p = a.rowPtr[i] as number; p < (a.rowPtr[i + 1] as number); p++) {
      const v = a.values[p] as number;
      const xo = (a.cols[p] as number) * k;
      for (let c = 0; c < k; c++) y.data[yo + c] = (y.data[yo + c] as number) + v * (x.data[xo + c] as number);
    }
  }
  return y;
}

/** Orthonormalises the columns of `m` in place (modified Gram–Schmidt; dependent columns → 0). */
export function orthonormalize(m: Dense): void {
  const { rows, cols, data } = m;
  // Work on a column-major copy: each column contiguous, so the inner loops stream memory.
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = data[r * cols + c] as number;
  for (let c = 0; c < cols; c++) {
    const co = c * rows;
    for (let prev = 0; prev < c; prev++) {
      const po = prev * rows;
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += (t[co + r] as number) * (t[po + r] as number);
      for (let r = 0; r < rows; r++) t[co + r] = (t[co + r] as number) - dot * (t[po + r] as number);
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += (t[co + r] as number) ** 2;
    norm = Math.sqrt(norm);
    const inv = norm > 1e-10 ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) t[co + r] = (t[co + r] as number) * inv;
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = t[c * rows + r] as number;
}

/** Eigen-decomposition of a symmetric k × k matrix by cyclic Jacobi rotations. */
export function symmetricEigen(input: Dense): { values: Float64Array; vectors: Dense } {
  const k = input.rows;
  const a = Float64Array.from(input.data);
  const v = dense(k, k);
  for (let i = 0; i < k; i++) v.data[i * k + i] = 1;
  const at = (i: number, j: number) => a[i * k + j] as number;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) off += at(i, j) ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = at(p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = at(r, p);
          const arq = at(r, q);
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = at(p, r);
          const aqr = at(q, r);
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v.data[r * k + p] as number;
          const vrq = v.data[r * k + q] as number;
          v.data[r * k + p] = c * vrp - s * vrq;
          v.data[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = at(i, i);
  return { values, vectors: v };
}

/**
 * Top-`rank` left singular vectors and values of a symmetric sparse matrix by randomized SVD
 * (Halko, Martinsson & Tropp, 2011) with `powerIterations` subspace iterations.
 */
export function randomizedSvd(a: CsrMatrix, rank: number, random: () => number, powerIterations = 2): { u: Dense; s: Float64Array } {
  const l = Math.min(a.n, rank + 10);
  const omega = dense(a.n, l);
  for (let i = 0; i < omega.data.length; i++) omega.data[i] = gaussian(random);
  let y = sparseTimesDense(a, omega);
  orthonormalize(y);
  for (let it = 0; it < powerIterations; it++) {
    y = sparseTimesDense(a, y);
    orthonormalize(y);
  }
  // A symmetric: B = Qᵀ A, and B Bᵀ = (A Q)ᵀ (A Q).
  const aq = sparseTimesDense(a, y);
  const bbt = dense(l, l);
  for (let r = 0; r < a.n; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const x = aq.data[o + i] as number;
      if (x === 0) continue;
      for (let j = i; j < l; j++) bbt.data[i * l + j] = (bbt.data[i * l + j] as number) + x * (aq.data[o + j] as number);
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt.data[i * l + j] = bbt.data[j * l + i] as number;
  const { values, vectors } = symmetricEigen(bbt);
  const order = Array.from(values.keys())
    .sort((i, j) => (values[j] as number) - (values[i] as number))
    .slice(0, Math.min(rank, l));
  const k = order.length;
  const u = dense(a.n, k);
  const s = new Float64Array(k);
  for (const [c, col] of order.entries()) s[c] = Math.sqrt(Math.max(0, values[col] as number));
  for (let r = 0; r < a.n; r++) {
    for (let c = 0; c < k; c++) {
      const col = order[c] as number;
      let sum = 0;
      for (let i = 0; i < l; i++) sum += (y.data[r * l + i] as number) * (vectors.data[i * l + col] as number);
      u.data[r * k + c] = sum;
    }
  }
  return { u, s };
}
