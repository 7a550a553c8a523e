import type { DocStore } from './doc-store.js';
import type { ResolvedOptions } from './options.js';
import type { DocTerms } from './text/bm25.js';
import { kthLargest } from './topk.js';

/**
 * Text scores of one query, in arrays indexed by slot (so a query touching most of a 100k-doc
 * namespace costs array writes, not map operations).
 */
export interface TextSignal {
  /** Direct evidence: BM25F of the document's own fields (0 when it holds no query term). */
  own: Float64Array;
  /**
   * Context: what the preceding turn's text adds to the document's BM25F, plus the shares lent by
   * its neighbours and by the best document of its segment — bounded so that it never lifts the
   * document above a stronger document it borrows from (`contextCeiling`).
   */
  lent: Float64Array;
  /**
   * Candidate slots, in no particular order: the `lenders` best by BM25 and the documents they
   * lend to. (`own` holds BM25 for every matching document, candidate or not.)
   */
  slots: number[];
  /** Returns the arrays to the store's pool (zeroing what was written); the signal is then dead. */
  release(): void;
}

/** Zeroed score arrays per store, reused across searches (a 100k-doc store needs 800 kB each). */
const pools = new WeakMap<DocStore, Float64Array[]>();

function take(store: DocStore): Float64Array {
  const pool = pools.get(store) ?? [];
  pools.set(store, pool);
  const found = pool.pop();
  return found && found.length >= store.slotLimit ? found : new Float64Array(Math.max(store.slotLimit, 64) * 2);
}

/**
 * Scores `terms` (term id → weight) with BM25F over each document's own fields (its direct
 * evidence), then adds context:
 * - the preceding turn's text as a `context` field of weight `fieldWeights.context`: the pair is
 *   scored as one BM25F document, and what that adds to the document's own score is context (a
 *   reply is found through the question it answers, also when the two share query words);
 * - each document lends a share of its score (own + context field) to its neighbours —
 *   `neighbourShare` to the next document, `neighbourBackShare` to the previous one;
 * - the best direct score of each segment (a run of linked neighbours) lends `threadShare` to
 *   every candidate in it (the same amount to each, so it reorders no two documents of one segment).
 * Context lent by a neighbour with stronger direct evidence lifts a document at most to
 * `contextCeiling` × that neighbour's score, so a neighbour never buries the direct match.
 *
 * Only the `lenders` best-scoring documents lend and become candidates: a query whose common
 * terms touch a large share of a big namespace then costs little beyond the BM25 pass, and a
 * document outside them could only rank through lent scores smaller than theirs. With a filter,
 * the best `lenders` documents it admits are kept as well, so a selective filter still finds its
 * matches behind many better-scoring documents it excludes.
 */
export function textSignal(store: DocStore, options: ResolvedOptions, terms: ReadonlyMap<number, number>, cut: Cut = {}): TextSignal {
  const own = take(store);
  const matched: number[] = [];
  store.bm25.score(terms, own, matched);
  return lend(store, options, { own, lent: take(store), paired: take(store), matched, terms }, cut);
}

/** How many documents lend context, and which ones the search may return. */
export interface Cut {
  /** Best-scoring documents kept from the BM25 pass (per side of a filter). Default 1000. */
  lenders?: number;
  /** The search filter, when there is one. */
  accept?: (slot: number) => boolean;
}

/**
 * `base` with more query terms (BM25 is additive over terms): their scores are added to the
 * base's, and context is lent afresh. `base` is consumed: use (and release) only the result.
 */
export function extendSignal(store: DocStore, options: ResolvedOptions, base: TextSignal, terms: ReadonlyMap<number, number>, cut: Cut = {}): TextSignal {
  const inner = base as Internal;
  const matched = inner.matched.slice();
  store.bm25.score(terms, inner.own, matched);
  for (const slot of inner.written) inner.lent[slot] = 0;
  for (const slot of inner.pairedSlots) inner.paired[slot] = 0;
  const merged = new Map(inner.terms);
  for (const [id, w] of terms) merged.set(id, (merged.get(id) ?? 0) + w);
  return lend(store, options, { own: inner.own, lent: inner.lent, paired: inner.paired, matched, terms: merged }, cut);
}

/** Lenders whose text is scored as the context field of the turn after them (the best by BM25). */
const PAIRED_LENDERS = 500;

/** Per store, term id → position in the query (-1: not in it); all -1 between searches. */
const termPositions = new WeakMap<DocStore, Int32Array>();

function positions(store: DocStore): Int32Array {
  let found = termPositions.get(store);
  if (!found || found.length < store.bm25.vocabularySize) {
    found = new Int32Array(Math.max(store.bm25.vocabularySize * 2, 1024)).fill(-1);
    termPositions.set(store, found);
  }
  return found;
}

/** Scratch space for floorOf, reused: a query over a large namespace selects among ~100k scores. */
let scratch = new Float64Array(1024);

/** The `count`-th best `own` score among `slots`. */
function floorOf(own: Float64Array, slots: readonly number[], count: number): number {
  if (scratch.length < slots.length) scratch = new Float64Array(Math.max(slots.length, scratch.length * 2));
  const scores = scratch.subarray(0, slots.length);
  for (let i = 0; i < slots.length; i++) scores[i] = own[slots[i] as number] as number;
  return kthLargest(scores, count);
}

/** The arrays of one signal and what was scored into them. */
interface Scored {
  /** BM25F of the own fields, for every matched slot. */
  own: Float64Array;
  lent: Float64Array;
  /** What the preceding turn's text adds to a slot's BM25F (the context field). */
  paired: Float64Array;
  matched: number[];
  terms: ReadonlyMap<number, number>;
}

/** What extendSignal() and release() need. */
interface Internal extends TextSignal, Scored {
  /** Every slot whose `lent` entry was written. */
  written: number[];
  /** Every slot whose `paired` entry was written. */
  pairedSlots: number[];
}

function lend(store: DocStore, options: ResolvedOptions, scored: Scored, cut: Cut): Internal {
  const { own, lent, paired, matched, terms } = scored;
  const lenders = cut.lenders ?? 1000;
  const { accept } = cut;
  let touched = matched;
  let floor = 0;
  if (matched.length > lenders) {
    floor = floorOf(own, matched, lenders);
    const admitted = accept ? matched.filter(accept) : [];
    const admittedFloor = admitted.length > lenders ? floorOf(own, admitted, lenders) : 0;
    touched = [];
    for (let i = 0; i < matched.length; i++) {
      const slot = matched[i] as number;
      const score = own[slot] as number;
      if (score >= floor || (accept && score >= admittedFloor && accept(slot))) touched.push(slot);
    }
    floor = Math.min(floor, accept ? admittedFloor : floor);
  }
  const { bm25 } = store;
  const { prev, next, segment, segments } = store.threads.links();
  const linked = prev.length;
  const contextWeight = options.fieldWeights.context;

  // The context field: each lender's text scored together with the turn after it.
  const pairedSlots: number[] = [];
  if (contextWeight > 0) {
    const ids = [...terms.keys()];
    const position = positions(store);
    for (const [k, id] of ids.entries()) position[id] = k;
    const tf = new Float64Array(ids.length);
    // Only the strongest lenders pair with their reply: the turn after a weak match could not
    // reach the results through the context field alone, and pairing reads both documents' terms.
    const pairFloor = touched.length > PAIRED_LENDERS ? floorOf(own, touched, PAIRED_LENDERS) : 0;
    for (let i = 0; i < touched.length; i++) {
      const before = touched[i] as number;
      const slot = before < linked ? (next[before] as number) : -1;
      if (slot < 0 || (own[before] as number) < pairFloor) continue;
      const context = store.own(before) as DocTerms;
      let shared = false;
      let contextLength = 0;
      for (let k = 0; k < context.ids.length; k++) {
        contextLength += context.tfs[k] as number;
        const at = position[context.ids[k] as number] as number;
        if (at < 0) continue;
        tf[at] = (tf[at] as number) + contextWeight * (context.tfs[k] as number);
        shared = true;
      }
      if (!shared) continue;
      const doc = bm25.terms(slot) as DocTerms;
      for (let k = 0; k < doc.ids.length; k++) {
        const at = position[doc.ids[k] as number] as number;
        if (at >= 0) tf[at] = (tf[at] as number) + (doc.tfs[k] as number);
      }
      const length = bm25.length(slot) + contextWeight * contextLength;
      let pair = 0;
      for (let k = 0; k < ids.length; k++) {
        const f = tf[k] as number;
        if (f === 0) continue;
        const id = ids[k] as number;
        pair += (terms.get(id) as number) * bm25.termScore(id, f, length);
        tf[k] = 0;
      }
      const gain = pair - (own[slot] as number);
      if (gain > 0) {
        paired[slot] = gain;
        pairedSlots.push(slot);
      }
    }
    for (const id of ids) position[id] = -1;
  }

  const written: number[] = [];
  const give = (slot: number, amount: number) => {
    if (!(amount > 0)) return;
    if (lent[slot] === 0) written.push(slot);
    lent[slot] = (lent[slot] as number) + amount;
  };
  const lender = touched === matched ? null : new Set(touched);
  const isLender = (slot: number) => (lender ? lender.has(slot) : (own[slot] as number) > 0);
  const full = (slot: number) => (own[slot] as number) + (paired[slot] as number);
  const forward = options.neighbourShare;
  const backward = options.neighbourBackShare;
  if (forward > 0 || backward > 0) {
    for (let i = 0; i < touched.length; i++) {
      const slot = touched[i] as number;
      if (slot >= linked) continue;
      const after = next[slot] as number;
      if (after >= 0 && forward > 0) give(after, full(slot) * forward);
      const before = prev[slot] as number;
      if (before >= 0 && backward > 0) give(before, full(slot) * backward);
    }
  }
  for (const slot of pairedSlots) give(slot, paired[slot] as number);
  // Candidates: the lenders, and every document they lent to that is not one of them.
  const slots = touched.slice();
  for (const slot of written) {
    const o = own[slot] as number;
    if (!(o > 0 && o >= floor)) slots.push(slot);
  }
  const share = options.threadShare;
  if (share > 0 && segments > 0) {
    const best = new Float64Array(segments);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      const t = slot < linked ? (segment[slot] as number) : -1;
      if (t >= 0) best[t] = Math.max(best[t] as number, own[slot] as number);
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      const t = slot < linked ? (segment[slot] as number) : -1;
      if (t >= 0) give(slot, share * (best[t] as number));
    }
  }
  bound(options.contextCeiling, { own, lent, paired, slots, prev, next, linked, isLender, forward, backward });

  return {
    own,
    lent,
    slots,
    paired,
    matched,
    terms,
    written,
    pairedSlots,
    release() {
      for (let i = 0; i < matched.length; i++) own[matched[i] as number] = 0;
      for (let i = 0; i < written.length; i++) lent[written[i] as number] = 0;
      for (let i = 0; i < pairedSlots.length; i++) paired[pairedSlots[i] as number] = 0;
      pools.get(store)?.push(own, lent, paired);
    },
  };
}

/** What {@link bound} reads. */
interface Lending {
  own: Float64Array;
  lent: Float64Array;
  paired: Float64Array;
  slots: readonly number[];
  prev: Int32Array;
  next: Int32Array;
  linked: number;
  isLender: (slot: number) => boolean;
  forward: number;
  backward: number;
}

/**
 * Caps the context of each candidate: what a neighbour with stronger direct evidence lent it
 * lifts it at most to `ceiling` × that neighbour's final score; what other documents lent is
 * kept. Candidates go strongest direct evidence first, so a lender's score is final before the
 * documents that borrow from it are capped by it.
 */
function bound(ceiling: number | false, l: Lending): void {
  if (ceiling === false) return;
  const { own, lent, paired, prev, next, linked, isLender, forward, backward } = l;
  const stronger = (slot: number, other: number) => other >= 0 && (own[other] as number) > (own[slot] as number);
  const order = l.slots
    .filter((slot) => slot < linked && (lent[slot] as number) > 0 && (stronger(slot, prev[slot] as number) || stronger(slot, next[slot] as number)))
    .sort((a, b) => (own[b] as number) - (own[a] as number));
  const full = (slot: number) => (own[slot] as number) + (paired[slot] as number);
  for (const slot of order) {
    const direct = own[slot] as number;
    const raw = direct + (lent[slot] as number);
    let capped = raw;
    const cap = (other: number, given: number) => {
      if (other < 0 || !(given > 0) || !((own[other] as number) > direct)) return;
      capped = Math.min(capped, Math.max(direct, raw - given, ceiling * ((own[other] as number) + (lent[other] as number))));
    };
    const before = prev[slot] as number;
    const after = next[slot] as number;
    if (before >= 0) cap(before, (paired[slot] as number) + (isLender(before) ? forward * full(before) : 0));
    if (after >= 0 && isLender(after)) cap(after, backward * full(after));
    lent[slot] = capped - direct;
  }
}

/**
 * A feedback term held by more than this many documents must be rarer than about 1 document in
 * 20 (idf ≥ ln 20): a common word says little about the topic, and in a large namespace scoring
 * its long postings list was most of the second pass's cost. Small namespaces keep every term.
 */
const FEEDBACK_COMMON_DF = 500;
const FEEDBACK_MIN_IDF = Math.log(20);

/**
 * Pseudo-relevance feedback (RM3-style): terms that weigh most in the top documents (share of
 * each document's score × term frequency in it × idf), excluding the query's own terms, each
 * weighted relative to the strongest by `weight`.
 */
export function feedbackTerms(
  store: DocStore,
  top: ReadonlyArray<{ slot: number; score: number }>,
  query: ReadonlyMap<number, number>,
  count: number,
  weight: number,
): Map<number, number> {
  const total = top.reduce((sum, t) => sum + t.score, 0);
  const gain = new Map<number, number>();
  if (total <= 0) return gain;
  for (const { slot, score } of top) {
    const own = store.own(slot);
    if (!own) continue;
    let length = 0;
    for (const tf of own.tfs) length += tf;
    own.ids.forEach((id, i) => {
      if (query.has(id) || (store.bm25.df(id) > FEEDBACK_COMMON_DF && store.bm25.idf(id) < FEEDBACK_MIN_IDF)) return;
      const g = (score / total) * ((own.tfs[i] as number) / length) * store.bm25.idf(id);
      gain.set(id, (gain.get(id) ?? 0) + g);
    });
  }
  const best = [...gain.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, count);
  const max = best[0]?.[1] ?? 1;
  return new Map(best.map(([id, g]) => [id, (weight * g) / max]));
}
