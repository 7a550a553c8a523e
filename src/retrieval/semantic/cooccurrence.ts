import { kthLargest } from '../topk.js';
import type { CsrMatrix } from './linalg.js';

/** A document as the co-occurrence counter sees it: its modelled terms and the next document's. */
export interface ContextDoc {
  /** Distinct vocabulary indices of the document. */
  terms: Int32Array;
  /** Distinct vocabulary indices of the next document in its thread, if any. */
  next?: Int32Array;
}

/** Options of {@link ppmiMatrix}. */
export interface PpmiOptions {
  /** Weight of a pair of terms in adjacent documents (a pair within one document counts 1). Default 0.5. */
  neighbourWeight?: number;
  /** Context-distribution smoothing exponent (Levy, Goldberg & Dagan, 2015). Default 0.75. */
  alpha?: number;
  /**
   * Entries kept per row: an entry stays when it is among the strongest `maxPerRow` of its row or
   * of its column (the matrix stays symmetric). Bounds the factorisation cost. Default 32.
   */
  maxPerRow?: number;
}

/**
 * Counts how often two vocabulary terms occur in the same document (weight 1) or in adjacent
 * documents of a thread (weight `neighbourWeight`) and turns the counts into a symmetric
 * positive pointwise mutual information matrix. Pairs are counted by sorting packed keys, which
 * is several times faster than hash maps for millions of pairs.
 */
export function ppmiMatrix(docs: readonly ContextDoc[], vocabulary: number, options: PpmiOptions = {}): CsrMatrix {
  const nw = options.neighbourWeight ?? 0.5;
  const alpha = options.alpha ?? 0.75;
  const pairs = countPairs(docs, vocabulary, nw);

  const rowSum = new Float64Array(vocabulary);
  let total = 0;
  for (let p = 0; p < pairs.a.length; p++) {
    const c = pairs.count[p] as number;
    rowSum[pairs.a[p] as number] = (rowSum[pairs.a[p] as number] as number) + c;
    rowSum[pairs.b[p] as number] = (rowSum[pairs.b[p] as number] as number) + c;
    total += 2 * c;
  }
  let smoothTotal = 0;
  for (const c of rowSum) smoothTotal += c ** alpha;
  const logP = rowSum.map((c) => (c > 0 ? alpha * Math.log(c) - Math.log(smoothTotal) : 0));
  const pmi = new Float64Array(pairs.a.length);
  for (let p = 0; p < pmi.length; p++) {
    pmi[p] = Math.log((pairs.count[p] as number) / total) - (logP[pairs.a[p] as number] as number) - (logP[pairs.b[p] as number] as number);
  }

  // Per term, the maxPerRow-th strongest positive PMI sets its floor (0 when it has fewer).
  const maxPerRow = options.maxPerRow ?? 32;
  const perRow: number[][] = Array.from({ length: vocabulary }, () => []);
  for (let p = 0; p < pmi.length; p++) {
    const v = pmi[p] as number;
    if (v <= 0) continue;
    (perRow[pairs.a[p] as number] as number[]).push(v);
    (perRow[pairs.b[p] as number] as number[]).push(v);
  }
  const floor = Float64Array.from(perRow, (values) => (values.length <= maxPerRow ? 0 : kthLargest(Float64Array.from(values), maxPerRow)));

  const rowLength = new Int32Array(vocabulary);
  const keep = new Uint8Array(pmi.length);
  for (let p = 0; p < pmi.length; p++) {
    const v = pmi[p] as number;
    const a = pairs.a[p] as number;
    const b = pairs.b[p] as number;
    if (v > 0 && (v >= (floor[a] as number) || v >= (floor[b] as number))) {
      keep[p] = 1;
      rowLength[a] = (rowLength[a] as number) + 1;
      rowLength[b] = (rowLength[b] as number) + 1;
    }
  }
  const rowPtr = new Int32Array(vocabulary + 1);
  for (let i = 0; i < vocabulary; i++) rowPtr[i + 1] = (rowPtr[i] as number) + (rowLength[i] as number);
  const cols = new Int32Array(rowPtr[vocabulary] as number);
  const values = new Float32Array(cols.length);
  const fill = rowPtr.slice(0, vocabulary);
  const put = (row: number, col: number, v: number) => {
    const at = fill[row] as number;
    cols[at] = col;
    values[at] = v;
    fill[row] = at + 1;
  };
  for (let p = 0; p < pmi.length; p++) {
    if (keep[p] === 0) continue;
    put(pairs.a[p] as number, pairs.b[p] as number, pmi[p] as number);
    put(pairs.b[p] as number, pairs.a[p] as number, pmi[p] as number);
  }
  return { n: vocabulary, rowPtr, cols, values };
}

/** Distinct unordered term pairs (a < b) with their weighted co-occurrence counts. */
function countPairs(docs: readonly ContextDoc[], vocabulary: number, neighbourWeight: number) {
  let size = 0;
  for (const d of docs) size += (d.terms.length * (d.terms.length - 1)) / 2 + (neighbourWeight > 0 && d.next ? d.terms.length * d.next.length : 0);
  // A key packs (min, max, kind) into one float64: (min · V + max) · 2 + kind, exact below 2^53.
  const keys = new Float64Array(size);
  let k = 0;
  const pack = (i: number, j: number, kind: number) => (i < j ? i * vocabulary + j : j * vocabulary + i) * 2 + kind;
  for (const d of docs) {
    const t = d.terms;
    for (let x = 0; x < t.length; x++) for (let y = x + 1; y < t.length; y++) keys[k++] = pack(t[x] as number, t[y] as number, 0);
    if (neighbourWeight > 0 && d.next) {
      for (const i of t) for (const j of d.next) if (i !== j) keys[k++] = pack(i, j, 1);
    }
  }
  const sorted = keys.subarray(0, k).sort();
  const a: number[] = [];
  const b: number[] = [];
  const count: number[] = [];
  for (let p = 0; p < sorted.length; ) {
    const pair = Math.floor((sorted[p] as number) / 2);
    let c = 0;
    while (p < sorted.length && Math.floor((sorted[p] as number) / 2) === pair) {
      c += (sorted[p] as number) % 2 === 0 ? 1 : neighbourWeight;
      p++;
    }
    a.push(Math.floor(pair / vocabulary));
    b.push(pair % vocabulary);
    count.push(c);
  }
  return { a, b, count };
}
