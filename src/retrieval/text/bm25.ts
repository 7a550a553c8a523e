import { createListPool, type ListPoolState } from '../list-pool.js';

/**
 * One weighted text field of a document (BM25F: a term in a field of weight w counts w times),
 * given as its terms in order or as term ids already counted.
 */
export type Bm25Field = { terms: readonly string[]; weight: number } | { counted: DocTerms; weight: number };

/** A document's indexed terms: term ids and weighted term frequencies. */
export interface DocTerms {
  readonly ids: Int32Array;
  readonly tfs: Float32Array;
}

/** BM25 over an inverted index with incremental add and remove. Documents are integer slots. */
export interface Bm25Index {
  readonly docCount: number;
  /** Indexes `slot` (which must not be indexed already). */
  add(slot: number, fields: readonly Bm25Field[]): void;
  /** Drops `slot` from the index (no-op when absent). */
  remove(slot: number): void;
  /** Term id, or -1 when the term was never seen. */
  termId(term: string): number;
  /** Term id, assigning a new one to an unseen term. */
  intern(term: string): number;
  term(id: number): string;
  /** Number of documents holding term `id`. */
  df(id: number): number;
  /** BM25 idf of term `id`: ln(1 + (N − df + ½)/(df + ½)), always > 0. */
  idf(id: number): number;
  /** Number of distinct terms ever seen (ids are stable; a term may have df 0). */
  readonly vocabularySize: number;
  terms(slot: number): DocTerms | undefined;
  /** Weighted length of `slot` (0 when absent). */
  length(slot: number): number;
  /**
   * One term's BM25 contribution, idf · (k1 + 1) · tf / (tf + k1 · (1 − b + b · length / avg)),
   * for a weighted frequency `tf` in a document of weighted `length` (which need not be indexed).
   */
  termScore(id: number, tf: number, length: number): number;
  /**
   * Adds Σ_t w_t · idf_t · BM25-tf(t, d) into `scores[d]` for every document d holding a query
   * term, and appends each newly touched d to `touched` (scores must start at 0).
   */
  score(query: ReadonlyMap<number, number>, scores: Float64Array, touched: number[]): void;
  /** Everything the index holds, to save and later hand to {@link createBm25Index}: views valid until the next write. */
  state(): Bm25State;
}

/** BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0..1. Default 0.75. */
  b?: number;
}

/** A saved BM25 index: every array as the index holds it, by term id or by slot. */
export interface Bm25State {
  /** The vocabulary, by term id. */
  terms: string[];
  /** By term id: the slots holding the term and its weighted frequency in each. */
  postings: ListPoolState;
  /** By slot: the document's term ids and weighted frequencies. */
  entries: ListPoolState;
  /** By slot: 1 when the slot is indexed. */
  indexed: Uint8Array;
  /** By slot: weighted length. */
  lengths: Float64Array;
  totalLength: number;
  docCount: number;
}

/** Creates an empty BM25 index, or one holding a saved `state` (its arrays are used as they are). */
export function createBm25Index(options: Bm25Options = {}, state?: Bm25State): Bm25Index {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const names: string[] = state ? state.terms : [];
  const ids = new Map<string, number>();
  for (let id = 0; id < names.length; id++) ids.set(names[id] as string, id);
  const postings = createListPool(true, state?.postings);
  const entries = createListPool(true, state?.entries);
  let indexed = state?.indexed ?? new Uint8Array(64);
  let lengths = state?.lengths ?? new Float64Array(64);
  let totalLength = state?.totalLength ?? 0;
  let docCount = state?.docCount ?? 0;

  const idOf = (term: string): number => {
    let id = ids.get(term);
    if (id === undefined) {
      id = names.length;
      ids.set(term, id);
      names.push(term);
    }
    return id;
  };

  const df = (id: number) => postings.length(id);
  const idf = (id: number) => Math.log(1 + (docCount - df(id) + 0.5) / (df(id) + 0.5));
  const isIndexed = (slot: number) => slot < indexed.length && indexed[slot] === 1;

  return {
    get docCount() {
      return docCount;
    },
    get vocabularySize() {
      return names.length;
    },
    termId: (term) => ids.get(term) ?? -1,
    intern: idOf,
    term: (id) => names[id] ?? '',
    df,
    idf,
    terms(slot) {
      if (!isIndexed(slot)) return undefined;
      const { ids: slabIds, values } = entries.slab();
      const from = entries.start(slot);
      const n = entries.length(slot);
      return { ids: slabIds.slice(from, from + n), tfs: values.slice(from, from + n) };
    },
    length: (slot) => (slot < lengths.length ? (lengths[slot] as number) : 0),
    termScore(id, tf, length) {
      if (!(tf > 0)) return 0;
      const avg = totalLength / docCount || 1;
      return (idf(id) * (k1 + 1) * tf) / (tf + k1 * (1 - b + (b * length) / avg));
    },
    add(slot, fields) {
      const tf = new Map<number, number>();
      let length = 0;
      for (const field of fields) {
        if ('terms' in field) {
          for (const t of field.terms) {
            const id = idOf(t);
            tf.set(id, (tf.get(id) ?? 0) + field.weight);
          }
          length += field.terms.length * field.weight;
          continue;
        }
        const { ids: counted, tfs: counts } = field.counted;
        let n = 0;
        for (let i = 0; i < counted.length; i++) {
          const id = counted[i] as number;
          const count = counts[i] as number;
          tf.set(id, (tf.get(id) ?? 0) + count * field.weight);
          n += count;
        }
        length += n * field.weight;
      }
      const termIds = Int32Array.from(tf.keys());
      const tfs = Float32Array.from(tf.values());
      for (let i = 0; i < termIds.length; i++) postings.append(termIds[i] as number, slot, tfs[i] as number);
      entries.set(slot, termIds, tfs);
      if (slot >= lengths.length) {
        const size = Math.max(slot + 1, lengths.length * 2);
        const nextLengths = new Float64Array(size);
        nextLengths.set(lengths);
        lengths = nextLengths;
        const nextIndexed = new Uint8Array(size);
        nextIndexed.set(indexed);
        indexed = nextIndexed;
      }
      indexed[slot] = 1;
      lengths[slot] = length;
      totalLength += length;
      docCount++;
    },
    remove(slot) {
      if (!isIndexed(slot)) return;
      // Swap-removal keeps posting lists dense; their order carries no meaning.
      for (const id of entries.idsOf(slot)) postings.removeId(id, slot);
      entries.clear(slot);
      indexed[slot] = 0;
      totalLength -= lengths[slot] as number;
      lengths[slot] = 0;
      docCount--;
    },
    score(query, scores, touched) {
      if (docCount === 0) return;
      const avg = totalLength / docCount || 1;
      const { ids: slots, values: tfs } = postings.slab();
      for (const [id, weight] of query) {
        const n = df(id);
        if (n === 0) continue;
        const from = postings.start(id);
        const w = weight * idf(id) * (k1 + 1);
        for (let i = from; i < from + n; i++) {
          const d = slots[i] as number;
          const tf = tfs[i] as number;
          const s = (w * tf) / (tf + k1 * (1 - b + (b * (lengths[d] as number)) / avg));
          if (scores[d] === 0) touched.push(d);
          scores[d] = (scores[d] as number) + s;
        }
      }
    },
    state() {
      const slots = entries.keyLimit;
      return {
        terms: names,
        postings: postings.state(),
        entries: entries.state(),
        indexed: indexed.subarray(0, slots),
        lengths: lengths.subarray(0, slots),
        totalLength,
        docCount,
      };
    },
  };
}
