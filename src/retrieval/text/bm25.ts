/** One weighted text field of a document (BM25F: a term in a field of weight w counts w times). */
export interface Bm25Field {
  terms: readonly string[];
  weight: number;
}

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
}

/** BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0..1. Default 0.75. */
  b?: number;
}

/** Creates an empty BM25 index. */
export function createBm25Index(options: Bm25Options = {}): Bm25Index {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const postSlots: number[][] = [];
  const postTfs: number[][] = [];
  const docs: Array<DocTerms | undefined> = [];
  let lengths = new Float64Array(64);
  let totalLength = 0;
  let docCount = 0;

  const idOf = (term: string): number => {
    let id = ids.get(term);
    if (id === undefined) {
      id = names.length;
      ids.set(term, id);
      names.push(term);
      postSlots.push([]);
      postTfs.push([]);
    }
    return id;
  };

  const idf = (id: number) => {
    const df = postSlots[id]?.length ?? 0;
    return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  };

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
    df: (id) => postSlots[id]?.length ?? 0,
    idf,
    terms: (slot) => docs[slot],
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
        for (const t of field.terms) {
          const id = idOf(t);
          tf.set(id, (tf.get(id) ?? 0) + field.weight);
        }
        length += field.terms.length * field.weight;
      }
      const entry: DocTerms = { ids: Int32Array.from(tf.keys()), tfs: Float32Array.from(tf.values()) };
      for (let i = 0; i < entry.ids.length; i++) {
        const id = entry.ids[i] as number;
        (postSlots[id] as number[]).push(slot);
        (postTfs[id] as number[]).push(entry.tfs[i] as number);
      }
      docs[slot] = entry;
      if (slot >= lengths.length) {
        const next = new Float64Array(Math.max(slot + 1, lengths.length * 2));
        next.set(lengths);
        lengths = next;
      }
      lengths[slot] = length;
      totalLength += length;
      docCount++;
    },
    remove(slot) {
      const entry = docs[slot];
      if (entry === undefined) return;
      for (const id of entry.ids) {
        const slots = postSlots[id] as number[];
        const tfs = postTfs[id] as number[];
        const at = slots.lastIndexOf(slot);
        // Swap-remove keeps posting lists dense; their order carries no meaning.
        slots[at] = slots[slots.length - 1] as number;
        tfs[at] = tfs[tfs.length - 1] as number;
        slots.pop();
        tfs.pop();
      }
      docs[slot] = undefined;
      totalLength -= lengths[slot] as number;
      lengths[slot] = 0;
      docCount--;
    },
    score(query, scores, touched) {
      if (docCount === 0) return;
      const avg = totalLength / docCount || 1;
      for (const [id, weight] of query) {
        const slots = postSlots[id];
        const tfs = postTfs[id];
        if (!slots || !tfs || slots.length === 0) continue;
        const w = weight * idf(id) * (k1 + 1);
        for (let i = 0; i < slots.length; i++) {
          const d = slots[i] as number;
          const tf = tfs[i] as number;
          const s = (w * tf) / (tf + k1 * (1 - b + (b * (lengths[d] as number)) / avg));
          if (scores[d] === 0) touched.push(d);
          scores[d] = (scores[d] as number) + s;
        }
      }
    },
  };
}
