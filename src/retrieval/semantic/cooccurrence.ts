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
 * positive pointwise mutual information matrix.
 */
export function ppmiMatrix(docs: readonly ContextDoc[], vocabulary: number, options: PpmiOptions = {}): CsrMatrix {
  const nw = options.neighbourWeight ?? 0.5;
  const alpha = options.alpha ?? 0.75;
  const rows: Array<Map<number, number>> = Array.from({ length: vocabulary }, () => new Map());
  const bump = (i: number, j: number, w: number) => {
    const row = rows[i] as Map<number, number>;
    row.set(j, (row.get(j) ?? 0) + w);
  };
  for (const doc of docs) {
    const t = doc.terms;
    for (let a = 0; a < t.length; a++) {
      for (let b = a + 1; b < t.length; b++) {
        bump(t[a] as number, t[b] as number, 1);
        bump(t[b] as number, t[a] as number, 1);
      }
    }
    if (doc.next && nw > 0) {
      for (const i of t) {
        for (const j of doc.next) {
          if (i === j) continue;
          bump(i, j, nw);
          bump(j, i, nw);
        }
      }
    }
  }
  const rowSum = new Float64Array(vocabulary);
  let total = 0;
  rows.forEach((row, i) => {
    for (const c of row.values()) rowSum[i] = (rowSum[i] as number) + c;
    total += rowSum[i] as number;
  });
  let smoothTotal = 0;
  for (const c of rowSum) smoothTotal += Math.pow(c, alpha);
  const logP = Float64Array.from(rowSum, (c) => (c > 0 ? alpha * Math.log(c) - Math.log(smoothTotal) : 0));
  const maxPerRow = options.maxPerRow ?? 32;
  const pmiRows = rows.map((row, i) => {
    const entries: Array<[number, number]> = [];
    for (const [j, c] of row) {
      const pmi = Math.log(c / total) - (logP[i] as number) - (logP[j] as number);
      if (pmi > 0) entries.push([j, pmi]);
    }
    return entries;
  });
  // The strongest maxPerRow values of each row set its floor; an entry survives above either floor.
  const floor = Float64Array.from(pmiRows, (entries) => {
    if (entries.length <= maxPerRow) return 0;
    return (entries.map((e) => e[1]).sort((a, b) => b - a)[maxPerRow - 1] as number);
  });
  const rowPtr = new Int32Array(vocabulary + 1);
  const cols: number[] = [];
  const values: number[] = [];
  pmiRows.forEach((entries, i) => {
    for (const [j, pmi] of entries) {
      if (pmi >= (floor[i] as number) || pmi >= (floor[j] as number)) {
        cols.push(j);
        values.push(pmi);
      }
    }
    rowPtr[i + 1] = cols.length;
  });
  return { n: vocabulary, rowPtr, cols: Int32Array.from(cols), values: Float32Array.from(values) };
}
