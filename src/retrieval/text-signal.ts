import type { DocStore } from './doc-store.js';
import type { ResolvedOptions } from './options.js';

/**
 * Text scores of one query, in arrays indexed by slot (so a query touching most of a 100k-doc
 * namespace costs array writes, not map operations).
 */
export interface TextSignal {
  /** BM25F per slot (0 when the document holds no query term). */
  own: Float64Array;
  /** Score lent per slot by neighbouring documents and by the thread's best document. */
  lent: Float64Array;
  /** Slots with own + lent > 0, in no particular order. */
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
 */
export function textSignal(store: DocStore, options: ResolvedOptions, terms: ReadonlyMap<number, number>): TextSignal {
  const own = take(store);
  const lent = take(store);
  const touched: number[] = [];
  store.bm25.score(terms, own, touched);
  const slots = touched.slice();
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
      if (after >= 0 && forward > 0) {
        if (own[after] === 0 && lent[after] === 0) slots.push(after);
        lent[after] = (lent[after] as number) + score * forward;
      }
      const before = prev[slot] as number;
      if (before >= 0 && backward > 0) {
        if (own[before] === 0 && lent[before] === 0) slots.push(before);
        lent[before] = (lent[before] as number) + score * backward;
      }
    }
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
      if (t >= 0) lent[slot] = (lent[slot] as number) + share * (best[t] as number);
    }
  }
  return {
    own,
    lent,
    slots,
    release() {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as number;
        own[slot] = 0;
        lent[slot] = 0;
      }
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
    const own = store.info(slot)?.own;
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
