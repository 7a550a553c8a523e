import { CairnError } from '../errors.js';
import { staticFactor } from './adjust.js';
import { createFilterIndex, type FilterIndex } from './filters.js';
import type { ResolvedOptions } from './options.js';
import { createSemanticModel, type SemanticModel } from './semantic/semantic-model.js';
import { createBm25Index, type Bm25Field, type Bm25Index, type DocTerms } from './text/bm25.js';
import { isInterrogative, leadingLabel } from './text/form.js';
import { createTokenizer, type Tokenizer } from './text/tokenize.js';
import { mentionsTime } from './temporal.js';
import { createThreadOrder, type ThreadOrder } from './threads.js';
import type { RetrievalDoc } from './types.js';
import { createVectorIndex, type VectorIndex } from './vector/vector-index.js';

/** The name of the inferred timeline (no caller-named thread can start with NUL). */
const INFERRED = '\u0000inferred';

/** What the index derives from a document once, at add time. */
export interface DocInfo {
  /** The document as added, without its vector (held once, in the vector index). */
  readonly doc: Omit<RetrievalDoc, 'vector'>;
  /** Stemmed terms of the document's own text, in order. */
  readonly terms: readonly string[];
  /** The same terms as distinct ids with counts (for the semantic model). */
  readonly own: DocTerms;
  /** Stemmed terms of the leading label ("Caroline: …"), empty when there is none. */
  readonly label: ReadonlySet<string>;
  /** The text only asks a question. */
  readonly asks: boolean;
  /** The text mentions a time ("yesterday", a weekday, a date). */
  readonly mentionsTime: boolean;
  /** Importance × decay × reward multiplier (depends on the document alone). */
  readonly staticPrior: number;
}

/**
 * The documents of one index in integer slots, with every structure kept in step on add and
 * remove: BM25F postings of each document's own fields (its thread context is scored at query
 * time, so a document's postings never depend on its neighbours), vectors,
 * thread order and the semantic model.
 */
export interface DocStore {
  readonly tokenizer: Tokenizer;
  readonly bm25: Bm25Index;
  readonly vectors: VectorIndex;
  readonly threads: ThreadOrder;
  readonly filters: FilterIndex;
  /** Null when the semantic signal is turned off. */
  readonly semantic: SemanticModel | null;
  readonly size: number;
  /** One more than the highest slot in use (for sizing score arrays). */
  readonly slotLimit: number;
  slotOf(id: string): number | undefined;
  /** True when `term` (stemmed) is the leading label, or part of it, of some document. */
  isLabelTerm(term: string): boolean;
  info(slot: number): DocInfo | undefined;
  slots(): number[];
  add(doc: RetrievalDoc): void;
  remove(id: string): boolean;
}

/** Creates an empty store for `options`. */
export function createDocStore(options: ResolvedOptions): DocStore {
  const tokenizer = createTokenizer({ stemmer: options.stemmer });
  const bm25 = createBm25Index({ k1: options.k1, b: options.b });
  const vectors = createVectorIndex({ dim: options.dim, simd: options.simd });
  const threads = createThreadOrder(options.neighbourMaxGapHours * 3_600_000);
  const filters = createFilterIndex();
  const fw = options.fieldWeights;
  const infos: Array<DocInfo | undefined> = [];
  const slotOf = new Map<string, number>();
  const free: number[] = [];
  const labelTerms = new Map<string, number>();
  const countLabel = (label: ReadonlySet<string>, delta: number) => {
    for (const t of label) {
      const n = (labelTerms.get(t) ?? 0) + delta;
      if (n > 0) labelTerms.set(t, n);
      else labelTerms.delete(t);
    }
  };

  const next = (slot: number) => {
    const n = threads.next(slot);
    return n < 0 ? undefined : n;
  };

  const semantic = options.semantic === false ? null : createSemanticModel({
    slots: () => [...slotOf.values()],
    terms: (slot) => infos[slot]?.own,
    next,
    df: (id) => bm25.df(id),
    idf: (id) => bm25.idf(id),
    get vocabularySize() {
      return bm25.vocabularySize;
    },
  }, options.semantic);

  const fieldsOf = (slot: number): Bm25Field[] => {
    const info = infos[slot] as DocInfo;
    const { doc } = info;
    const fields: Bm25Field[] = [{ terms: info.terms, weight: fw.text }];
    // A tag repeating the leading label ("Caroline: …" tagged Caroline) is not counted again:
    // the label multiplier already rewards a query naming it, and counting it twice would favour
    // everything that speaker said over what others said about the subject.
    const tags = doc.tags.length > 0 ? tokenizer.terms(doc.tags.join(' ')).filter((t) => !info.label.has(t)) : [];
    if (tags.length > 0) fields.push({ terms: tags, weight: fw.tags });
    if (doc.kind) fields.push({ terms: tokenizer.terms(doc.kind), weight: fw.kind });
    const meta = [doc.taskType, doc.domain].filter((s): s is string => Boolean(s));
    if (meta.length > 0) fields.push({ terms: tokenizer.terms(meta.join(' ')), weight: fw.meta });
    return fields;
  };

  const ownTerms = (terms: readonly string[]): DocTerms => {
    const counts = new Map<number, number>();
    for (const t of terms) {
      const id = bm25.intern(t);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return { ids: Int32Array.from(counts.keys()), tfs: Float32Array.from(counts.values()) };
  };

  /**
   * Places a document in its thread: the one it names, or else (a memory) the namespace's inferred
   * timeline, in write order, where only memories written and dated close together are neighbours.
   */
  const threadOf = (slot: number, doc: RetrievalDoc): void => {
    if (doc.thread !== undefined) threads.add(slot, doc.thread, doc.seq ?? doc.occurredAt, doc.occurredAt);
    else if (options.inferThreads && doc.type === 'memory') {
      threads.add(slot, INFERRED, doc.seq ?? doc.createdAt, doc.occurredAt, { gapMs: options.inferThreads.gapMinutes * 60_000, written: doc.createdAt });
    }
  };

  const removeSlot = (slot: number) => {
    const info = infos[slot];
    if (!info) return;
    semantic?.onRemove(slot);
    bm25.remove(slot);
    vectors.delete(slot);
    threads.remove(slot);
    filters.remove(slot, info.doc);
    slotOf.delete(info.doc.id);
    countLabel(info.label, -1);
    infos[slot] = undefined;
    free.push(slot);
  };

  return {
    tokenizer,
    bm25,
    vectors,
    threads,
    filters,
    semantic,
    get size() {
      return slotOf.size;
    },
    get slotLimit() {
      return infos.length;
    },
    slotOf: (id) => slotOf.get(id),
    isLabelTerm: (term) => labelTerms.has(term),
    info: (slot) => infos[slot],
    slots: () => [...slotOf.values()],
    add(doc) {
      if (doc.vector && doc.vector.length !== options.dim) {
        throw new CairnError('INVALID_INPUT', `retrieval: document ${doc.id} has a ${doc.vector.length}-d vector; the index holds ${options.dim}-d vectors`);
      }
      const old = slotOf.get(doc.id);
      if (old !== undefined) removeSlot(old);
      // The vector is copied into the index's rows; keeping the caller's array would double it.
      const { vector, ...kept } = doc;
      const slot = free.pop() ?? infos.length;
      const terms = tokenizer.terms(doc.text);
      const labelText = leadingLabel(doc.text);
      const label = new Set(labelText ? tokenizer.terms(labelText) : []);
      countLabel(label, 1);
      infos[slot] = {
        doc: kept,
        terms,
        own: ownTerms(terms),
        label,
        asks: isInterrogative(doc.text),
        mentionsTime: mentionsTime(doc.text),
        staticPrior: staticFactor(doc, options.adjust),
      };
      slotOf.set(doc.id, slot);
      threadOf(slot, doc);
      bm25.add(slot, fieldsOf(slot));
      if (vector) vectors.set(slot, vector);
      filters.add(slot, doc);
      semantic?.onAdd(slot);
    },
    remove(id) {
      const slot = slotOf.get(id);
      if (slot === undefined) return false;
      removeSlot(slot);
      return true;
    },
  };
}
