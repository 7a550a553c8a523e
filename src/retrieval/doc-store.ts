import { CairnError } from '../errors.js';
import { decayFactor, staticFactor } from './adjust.js';
import { createDocColumns, type DocColumns, type DocColumnsState, TYPE_CODE } from './columns.js';
import { createListPool, type ListPoolState } from './list-pool.js';
import type { ResolvedOptions } from './options.js';
import { createSemanticModel, type SemanticModel, type SemanticState } from './semantic/semantic-model.js';
import { mentionsTime } from './temporal.js';
import { type Bm25Field, type Bm25Index, type Bm25State, createBm25Index, type DocTerms } from './text/bm25.js';
import { isInterrogative, leadingLabel } from './text/form.js';
import { createTokenizer, type Tokenizer } from './text/tokenize.js';
import { createThreadOrder, type ThreadOrder, type ThreadState } from './threads.js';
import type { RetrievalDoc } from './types.js';
import { createVectorIndex, type VectorIndex, type VectorState } from './vector/vector-index.js';

/** The name of the inferred timeline (no caller-named thread can start with NUL). */
const INFERRED = '\u0000inferred';

/**
 * The documents of one index in integer slots, with every structure kept in step on add and
 * remove: BM25F postings of each document's own fields (its thread context is scored at query
 * time, so a document's postings never depend on its neighbours), vectors, thread order, per-slot
 * attributes and the semantic model. Nothing is kept per document as a JavaScript object:
 * attributes are columns, term lists live in pools (see list-pool.ts), so the store is a few
 * dozen arrays however many documents it holds — cheap to keep, save and load.
 */
export interface DocStore {
  readonly tokenizer: Tokenizer;
  readonly bm25: Bm25Index;
  readonly vectors: VectorIndex;
  readonly threads: ThreadOrder;
  /** Attributes by slot; an array read from it is valid until the next `add`. */
  readonly columns: DocColumns;
  /** Null when the semantic signal is turned off. */
  readonly semantic: SemanticModel | null;
  readonly size: number;
  /** One more than the highest slot in use (for sizing score arrays). */
  readonly slotLimit: number;
  slotOf(id: string): number | undefined;
  /** The id of the document in `slot`. */
  idOf(slot: number): string;
  /** True when `term` (stemmed) is the leading label, or part of it, of some document. */
  isLabelTerm(term: string): boolean;
  /** True when one of the term ids in `terms` is part of the leading label of `slot`. */
  labelMatches(slot: number, terms: ReadonlySet<number>): boolean;
  /** Distinct term ids of the document's own text with their counts (views valid until the next write). */
  own(slot: number): DocTerms | undefined;
  /** Slots in use, ascending. */
  slots(): number[];
  add(doc: RetrievalDoc): void;
  remove(id: string): boolean;
  /**
   * Everything the store holds, to save and later hand to {@link createDocStore}: partly views of
   * the live arrays, valid until the next write (pack or copy it at once).
   */
  state(): DocStoreState;
}

/** A saved store: its own arrays and those of every structure it keeps in step. */
export interface DocStoreState {
  /** Document id by slot ('' for a free slot). */
  ids: string[];
  /** Free slots, in the order they will be reused (last first). */
  free: Int32Array;
  columns: DocColumnsState;
  /** By slot: the document's own term ids and counts. */
  own: ListPoolState;
  /** By slot: term ids of the leading label. */
  labels: ListPoolState;
  bm25: Bm25State;
  threads: ThreadState;
  vectors: VectorState;
  semantic: SemanticState | null;
}

/** Creates an empty store for `options`, or one holding a saved `state` (taken as it is). */
export function createDocStore(options: ResolvedOptions, state?: DocStoreState): DocStore {
  const tokenizer = createTokenizer({ stemmer: options.stemmer });
  const bm25 = createBm25Index({ k1: options.k1, b: options.b }, state?.bm25);
  const vectors = createVectorIndex({ dim: options.dim, simd: options.simd }, state?.vectors);
  const threads = createThreadOrder(options.neighbourMaxGapHours * 3_600_000, state?.threads);
  const columns = createDocColumns(state?.columns);
  const own = createListPool(true, state?.own);
  const labels = createListPool(false, state?.labels);
  const fw = options.fieldWeights;
  const ids: string[] = state?.ids ?? [];
  const live = (slot: number) => slot < columns.slotLimit && columns.type[slot] !== 0;
  let size = 0;
  for (let slot = 0; slot < ids.length; slot++) if (live(slot)) size++;
  // Built on first use: a restored index that only answers queries never needs it.
  let bySlot: Map<string, number> | null = null;
  const slotOf = () => {
    if (!bySlot) {
      bySlot = new Map();
      for (let slot = 0; slot < ids.length; slot++) if (live(slot)) bySlot.set(ids[slot] as string, slot);
    }
    return bySlot;
  };
  const free: number[] = state ? Array.from(state.free) : [];
  let labelCount = new Int32Array(64);
  const countLabel = (slot: number, delta: number) => {
    const { ids: slab } = labels.slab();
    const from = labels.start(slot);
    for (let i = from; i < from + labels.length(slot); i++) {
      const id = slab[i] as number;
      if (id >= labelCount.length) {
        const fresh = new Int32Array(Math.max(id + 1, labelCount.length * 2));
        fresh.set(labelCount);
        labelCount = fresh;
      }
      labelCount[id] = (labelCount[id] as number) + delta;
    }
  };
  if (state) for (let slot = 0; slot < ids.length; slot++) if (live(slot)) countLabel(slot, 1);

  const ownOf = (slot: number): DocTerms => {
    const { ids: slab, values } = own.slab();
    const from = own.start(slot);
    const n = own.length(slot);
    return { ids: slab.subarray(from, from + n), tfs: values.subarray(from, from + n) };
  };
  const isLabel = (slot: number, id: number) => {
    const { ids: slab } = labels.slab();
    const from = labels.start(slot);
    for (let i = from; i < from + labels.length(slot); i++) if (slab[i] === id) return true;
    return false;
  };
  const next = (slot: number) => {
    const n = threads.next(slot);
    return n < 0 ? undefined : n;
  };
  const liveSlots = () => {
    const out: number[] = [];
    for (let slot = 0; slot < columns.slotLimit; slot++) if (columns.type[slot] !== 0) out.push(slot);
    return out;
  };

  const semantic =
    options.semantic === false
      ? null
      : createSemanticModel(
          {
            slots: liveSlots,
            terms: (slot) => (live(slot) ? ownOf(slot) : undefined),
            next,
            df: (id) => bm25.df(id),
            idf: (id) => bm25.idf(id),
            get vocabularySize() {
              return bm25.vocabularySize;
            },
          },
          options.semantic,
          state?.semantic ?? undefined,
        );

  /** BM25F fields of `slot`: its text, tags, kind, task type and domain. */
  const fieldsOf = (slot: number): Bm25Field[] => {
    const fields: Bm25Field[] = [{ counted: ownOf(slot), weight: fw.text }];
    // A tag repeating the leading label ("Caroline: …" tagged Caroline) is not counted again:
    // the label multiplier already rewards a query naming it, and counting it twice would favour
    // everything that speaker said over what others said about the subject.
    const tagList = columns.tagsOf(slot);
    const tags = tagList.length > 0 ? tokenizer.terms(tagList.join(' ')).filter((t) => !isLabel(slot, bm25.termId(t))) : [];
    if (tags.length > 0) fields.push({ terms: tags, weight: fw.tags });
    const kind = columns.valueOf(columns.kind[slot] as number);
    if (kind) fields.push({ terms: tokenizer.terms(kind), weight: fw.kind });
    const meta = [columns.valueOf(columns.taskType[slot] as number), columns.valueOf(columns.domain[slot] as number)].filter((s): s is string => Boolean(s));
    if (meta.length > 0) fields.push({ terms: tokenizer.terms(meta.join(' ')), weight: fw.meta });
    return fields;
  };

  const ownTerms = (terms: readonly string[]): { ids: number[]; counts: number[] } => {
    const counts = new Map<number, number>();
    for (const t of terms) {
      const id = bm25.intern(t);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return { ids: [...counts.keys()], counts: [...counts.values()] };
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
    semantic?.onRemove(slot);
    bm25.remove(slot);
    vectors.delete(slot);
    threads.remove(slot);
    slotOf().delete(ids[slot] as string);
    size--;
    ids[slot] = '';
    countLabel(slot, -1);
    labels.clear(slot);
    own.clear(slot);
    columns.clear(slot);
    free.push(slot);
  };

  return {
    tokenizer,
    bm25,
    vectors,
    threads,
    columns,
    semantic,
    get size() {
      return size;
    },
    get slotLimit() {
      return columns.slotLimit;
    },
    slotOf: (id) => slotOf().get(id),
    idOf: (slot) => ids[slot] ?? '',
    isLabelTerm(term) {
      const id = bm25.termId(term);
      return id >= 0 && id < labelCount.length && (labelCount[id] as number) > 0;
    },
    labelMatches(slot, terms) {
      const { ids: slab } = labels.slab();
      const from = labels.start(slot);
      for (let i = from; i < from + labels.length(slot); i++) if (terms.has(slab[i] as number)) return true;
      return false;
    },
    own: (slot) => (live(slot) ? ownOf(slot) : undefined),
    slots: liveSlots,
    add(doc) {
      if (doc.vector && doc.vector.length !== options.dim) {
        throw new CairnError('INVALID_INPUT', `retrieval: document ${doc.id} has a ${doc.vector.length}-d vector; the index holds ${options.dim}-d vectors`);
      }
      const old = slotOf().get(doc.id);
      if (old !== undefined) removeSlot(old);
      const slot = free.pop() ?? columns.slotLimit;
      const terms = tokenizer.terms(doc.text);
      const counted = ownTerms(terms);
      own.set(slot, counted.ids, counted.counts);
      columns.set(slot, {
        type: TYPE_CODE[doc.type],
        occurredAt: doc.occurredAt,
        importance: doc.importance,
        reward: doc.reward,
        decay: decayFactor(doc),
        staticPrior: staticFactor(doc, options.adjust),
        asks: isInterrogative(doc.text),
        mentionsTime: mentionsTime(doc.text),
        hidden: doc.hidden === true,
        kind: doc.kind,
        taskType: doc.taskType,
        domain: doc.domain,
        outcome: doc.outcome,
        tags: doc.tags,
      });
      ids[slot] = doc.id;
      slotOf().set(doc.id, slot);
      size++;
      threadOf(slot, doc);
      const labelText = leadingLabel(doc.text);
      labels.set(slot, labelText ? [...new Set(tokenizer.terms(labelText))].map((t) => bm25.intern(t)) : []);
      countLabel(slot, 1);
      bm25.add(slot, fieldsOf(slot));
      // The vector is copied into the index's rows; keeping the caller's array would double it.
      if (doc.vector) vectors.set(slot, doc.vector);
      semantic?.onAdd(slot);
    },
    remove(id) {
      const slot = slotOf().get(id);
      if (slot === undefined) return false;
      removeSlot(slot);
      return true;
    },
    state() {
      const slots = columns.slotLimit;
      return {
        ids: ids.slice(0, slots).map((id) => id ?? ''),
        free: Int32Array.from(free),
        columns: columns.state(),
        own: own.state(),
        labels: labels.state(),
        bm25: bm25.state(),
        threads: threads.state(),
        vectors: vectors.state(),
        semantic: semantic?.state() ?? null,
      };
    },
  };
}
