import type { DocStore } from './doc-store.js';
import type { ResolvedOptions } from './options.js';
import { kthLargest } from './topk.js';

/**
 * Text scores of one query, in arrays indexed by slot (so a query touching most of a 100k-doc
 * namespace costs array writes, not map operations).
 */
export interface TextSignal {
  /** BM25F per slot (0 when the document holds no query term). */
  own: Float64Array;
  /** Score lent per slot by neighbouring documents and by the thread's best document. */
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
 * Scores `terms` (term id → weight) with BM25F, then lends each document a share of its
 * neighbours' scores — `neighbourShare` to the next document (a reply inherits what it answers),
 * `neighbourBackShare` to the previous one — and `threadShare` of the best score in its thread.
 * Only the `lenders` best-scoring documents lend and become candidates: a query whose common
 * terms touch a large share of a big namespace then costs little beyond the BM25 pass, and a
 * document outside them could only rank through lent scores smaller than theirs.
 *
 * With a filter, the best `lenders` documents it admits are kept as well, so a selective filter
 * still finds its matches behind many better-scoring documents it excludes.
 */
export function textSignal(store: DocStore, options: ResolvedOptions, terms: ReadonlyMap<number, number>, cut: Cut = {}): TextSignal {
  const own = take(store);
  const matched: number[] = [];
  store.bm25.score(terms, own, matched);
  return lend(store, options, own, take(store), matched, cut);
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
  return lend(store, options, inner.own, inner.lent, matched, cut);
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

/** What release() needs: every slot whose own or lent entry was written. */
interface Internal extends TextSignal {
  matched: number[];
  written: number[];
}

function lend(store: DocStore, options: ResolvedOptions, own: Float64Array, lent: Float64Array, matched: number[], cut: Cut): Internal {
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
  const written: number[] = [];
  const give = (slot: number, amount: number) => {
    if (!(amount > 0)) return;
    if (lent[slot] === 0) written.push(slot);
    lent[slot] = (lent[slot] as number) + amount;
  };
  const { prev, next, thread } = store.threads.links();
  const linked = prev.length;
  const forward = options.neighbourShare;
  const backward = options.neighbourBackShare;
  if (forward > 0 || backward > 0) {
    for (let i = 0; i < touched.length; i++) {
      const slot = touched[i] as number;
      if (slot >= linked) continue;
      const score = own[slot] as number;
      const after = next[slot] as number;
      if (after >= 0 && forward > 0) give(after, score * forward);
      const before = prev[slot] as number;
      if (before >= 0 && backward > 0) give(before, score * backward);
    }
  }
  // Candidates: the lenders, and every document they lent to that is not one of them.
  const slots = touched.slice();
  for (const slot of written) {
    const o = own[slot] as number;
    if (!(o > 0 && o >= floor)) slots.push(slot);
  }
  const share = options.threadShare;
  if (share > 0 && store.threads.threadCount > 0) {
    const best = new Float64Array(store.threads.threadCount);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      const t = slot < linked ? (thread[slot] as number) : -1;
      if (t >= 0) best[t] = Math.max(best[t] as number, (own[slot] as number) + (lent[slot] as number));
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as number;
      const t = slot < linked ? (thread[slot] as number) : -1;
      if (t >= 0) give(slot, share * (best[t] as number));
    }
  }
  return {
    own,
    lent,
    slots,
    matched,
    written,
    release() {
      for (let i = 0; i < matched.length; i++) own[matched[i] as number] = 0;
      for (let i = 0; i < written.length; i++) lent[written[i] as number] = 0;
      pools.get(store)?.push(own, lent);
    },
  };
}

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
      if (query.has(id)) return;
      const g = (score / total) * ((own.tfs[i] as number) / length) * store.bm25.idf(id);
      gain.set(id, (gain.get(id) ?? 0) + g);
    });
  }
  const best = [...gain.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, count);
  const max = best[0]?.[1] ?? 1;
  return new Map(best.map(([id, g]) => [id, (weight * g) / max]));
}

