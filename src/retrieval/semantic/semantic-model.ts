import type { SemanticOptions } from '../options.js';
import type { DocTerms } from '../text/bm25.js';
import { createVectorIndex, type VectorHit, type VectorIndex, type VectorState } from '../vector/vector-index.js';
import { type ContextDoc, ppmiMatrix } from './cooccurrence.js';
import { randomizedSvd, seededRandom } from './linalg.js';

/** What the semantic model reads from the index it serves. */
export interface SemanticSource {
  /** Slots of the documents held now. */
  slots(): number[];
  terms(slot: number): DocTerms | undefined;
  /** The slot after `slot` in its thread, if any. */
  next(slot: number): number | undefined;
  df(termId: number): number;
  idf(termId: number): number;
  /** One more than the highest term id. */
  readonly vocabularySize: number;
}

/**
 * A model-free semantic signal learned from the namespace's own texts: term co-occurrence (within
 * a document and across neighbouring documents) → PPMI → rank-r randomized SVD. Terms that keep
 * the same company get nearby vectors, so a query can reach a document that shares none of its
 * words. Rebuilt lazily when the documents changed by `staleFraction`; documents added between
 * rebuilds are embedded with the current term vectors at once.
 */
export interface SemanticModel {
  /** True once a model has been learned (enough documents). */
  readonly ready: boolean;
  onAdd(slot: number): void;
  onRemove(slot: number): void;
  /**
   * Rebuilds when stale; returns whether it did. With `force` false (the search path), namespaces
   * above `lazyRebuildLimit` documents keep the current model until an explicit refresh, so no
   * query pays for a large rebuild.
   */
  refresh(docCount: number, force?: boolean): boolean;
  /** Unit vector of weighted terms in the learned space, or undefined when none is modelled. */
  embed(terms: ReadonlyMap<number, number>): Float32Array | undefined;
  search(query: Float32Array, k: number, accept?: (slot: number) => boolean): VectorHit[];
  similarity(query: Float32Array, slot: number): number;
  /** The learned model and its document vectors, to save and later restore: views valid until the next write. */
  state(): SemanticState;
}

/** A saved semantic model. */
export interface SemanticState {
  /** Row of each term id in the term space (-1: not modelled). */
  rowOf: Int32Array;
  modelledTerms: number;
  /** Dimensions of the learned space (0 before the first build). */
  dim: number;
  termVectors: Float32Array;
  /** Document vectors, null before the first build. */
  docs: VectorState | null;
  /** Documents added or removed since the last build. */
  changes: number;
  /** Documents the last build saw. */
  builtWith: number;
}

/** Creates a semantic model over `source`: empty until `refresh` learns one, or a saved `state`. */
export function createSemanticModel(source: SemanticSource, options: SemanticOptions = {}, state?: SemanticState): SemanticModel {
  const rank = options.rank ?? 32;
  const minDocs = options.minDocs ?? 50;
  const staleFraction = options.staleFraction ?? 0.2;
  const maxVocabulary = options.maxVocabulary ?? 10_000;
  const maxSampleDocs = options.maxSampleDocs ?? 8_000;
  const maxTermsPerDoc = 64;
  const lazyLimit = options.lazyRebuildLimit ?? 5_000;

  // Term id → row of the term space (-1: not modelled); ids beyond the array are new since the build.
  let rowOf = state?.rowOf ?? new Int32Array(0);
  let modelledTerms = state?.modelledTerms ?? 0;
  const row = (id: number) => (id < rowOf.length ? (rowOf[id] as number) : -1);
  let termVectors = state?.termVectors ?? new Float32Array(0);
  let dim = state?.dim ?? 0;
  let docs: VectorIndex | null = state?.docs ? createVectorIndex({ dim: state.docs.dim }, state.docs) : null;
  let changes = state?.changes ?? 0;
  let builtWith = state?.builtWith ?? 0;

  /** Distinct modelled terms of a document, the highest-idf ones when it is long. */
  const modelled = (terms: DocTerms | undefined): Int32Array => {
    if (!terms) return new Int32Array(0);
    let ids = Array.from(terms.ids).filter((id) => row(id) >= 0);
    if (ids.length > maxTermsPerDoc) ids = ids.sort((a, b) => source.idf(b) - source.idf(a)).slice(0, maxTermsPerDoc);
    return Int32Array.from(ids, row);
  };

  /** Adds weight · idf · (term vector) into `v`; false when the term is not modelled. */
  const accumulate = (v: Float32Array, id: number, weight: number): boolean => {
    const r = row(id);
    if (r < 0) return false;
    const w = weight * source.idf(id);
    const base = r * dim;
    for (let c = 0; c < dim; c++) v[c] = (v[c] as number) + w * (termVectors[base + c] as number);
    return true;
  };

  /** Normalises `v` in place; undefined when it is zero. */
  const unit = (v: Float32Array): Float32Array | undefined => {
    let n = 0;
    for (const x of v) n += x * x;
    if (n === 0) return undefined;
    const inv = 1 / Math.sqrt(n);
    for (let c = 0; c < dim; c++) v[c] = (v[c] as number) * inv;
    return v;
  };

  const embed = (terms: ReadonlyMap<number, number>): Float32Array | undefined => {
    if (dim === 0) return undefined;
    const v = new Float32Array(dim);
    let any = false;
    for (const [id, weight] of terms) any = accumulate(v, id, weight) || any;
    return any ? unit(v) : undefined;
  };

  /** idf-weighted sum of a document's term vectors, sublinear in term frequency. */
  const docVector = (slot: number): Float32Array | undefined => {
    const t = source.terms(slot);
    if (!t || dim === 0) return undefined;
    const v = new Float32Array(dim);
    for (let i = 0; i < t.ids.length; i++) accumulate(v, t.ids[i] as number, 1 + Math.log(t.tfs[i] as number));
    return unit(v);
  };

  const rebuild = () => {
    const slots = source.slots();
    const random = seededRandom(options.seed ?? 1);
    const candidates: Array<[number, number]> = [];
    for (let id = 0; id < source.vocabularySize; id++) {
      const df = source.df(id);
      if (df >= 2) candidates.push([id, df]);
    }
    const chosen = candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxVocabulary);
    rowOf = new Int32Array(source.vocabularySize).fill(-1);
    for (const [i, [id]] of chosen.entries()) rowOf[id] = i;
    modelledTerms = chosen.length;
    const sample = slots.length <= maxSampleDocs ? slots : slots.filter(() => random() < maxSampleDocs / slots.length);
    const contexts: ContextDoc[] = sample.map((slot) => {
      const next = source.next(slot);
      const ctx: ContextDoc = { terms: modelled(source.terms(slot)) };
      if (next !== undefined) ctx.next = modelled(source.terms(next));
      return ctx;
    });
    const matrix = ppmiMatrix(contexts, modelledTerms, { neighbourWeight: options.neighbourWeight ?? 1, maxPerRow: options.maxPerRow ?? 32 });
    // A small vocabulary gets fewer dimensions: near full rank reproduces the co-occurrence matrix
    // itself and loses the second-order similarity ("car" ~ "automobile") the model is for.
    const { u, s } = randomizedSvd(matrix, Math.min(rank, Math.max(2, Math.floor(modelledTerms / 8))), random);
    dim = u.cols;
    termVectors = new Float32Array(modelledTerms * dim);
    const scale = Float64Array.from(s, (x) => x ** (options.singularPower ?? 0.5));
    for (let r = 0; r < modelledTerms; r++) {
      let n = 0;
      for (let c = 0; c < dim; c++) n += ((u.data[r * dim + c] as number) * (scale[c] as number)) ** 2;
      const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
      for (let c = 0; c < dim; c++) termVectors[r * dim + c] = (u.data[r * dim + c] as number) * (scale[c] as number) * inv;
    }
    docs = createVectorIndex({ dim });
    for (const slot of slots) {
      const v = docVector(slot);
      if (v) docs.set(slot, v);
    }
    changes = 0;
    builtWith = slots.length;
  };

  return {
    get ready() {
      return docs !== null;
    },
    onAdd(slot) {
      changes++;
      const v = docs ? docVector(slot) : undefined;
      if (docs && v) docs.set(slot, v);
    },
    onRemove(slot) {
      changes++;
      docs?.delete(slot);
    },
    refresh(docCount, force = true) {
      if (docCount < minDocs) return false;
      if (docs !== null && changes <= staleFraction * Math.max(builtWith, minDocs)) return false;
      if (!force && docCount > lazyLimit) return false;
      rebuild();
      return true;
    },
    embed,
    // Approximate top-k (int8 pre-scores): this signal needs no exact order at its k-th place.
    search: (query, k, accept) => (docs ? docs.search(query, k, accept, true) : []),
    similarity: (query, slot) => docs?.similarity(query, slot) ?? 0,
    state: () => ({ rowOf, modelledTerms, dim, termVectors, docs: docs?.state() ?? null, changes, builtWith }),
  };
}
