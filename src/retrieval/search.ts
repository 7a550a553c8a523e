import { CairnError } from '../errors.js';
import type { DocStore } from './doc-store.js';
import { filterMask } from './filters.js';
import { maximalMarginalRelevance, type RankedList, reciprocalRankFusion, zScoreFusion } from './fusion.js';
import type { ResolvedOptions } from './options.js';
import { createPriorScorer, type PriorScorer } from './priors.js';
import { parseTemporalCues } from './temporal.js';
import { isQuestionQuery } from './text/form.js';
import { extendSignal, feedbackTerms, type TextSignal, textSignal } from './text-signal.js';
import { createTopK } from './topk.js';
import type { RetrievalHit, RetrievalQuery } from './types.js';

/**
 * Ranks the documents of `store` for `query`:
 * 1. BM25F with neighbour and thread context (optionally a second pass with feedback terms);
 * 2. candidates: the top `depth` of the text, vector and semantic lists;
 * 3. fusion (z-scores or RRF), times the priors (recency, importance, reward, temporal cues,
 *    label match, question form);
 * 4. MMR over the best limit + 20 (unless `diversify` is false);
 * 5. the relevance floor (`minScore`).
 */
export function searchStore(store: DocStore, o: ResolvedOptions, query: RetrievalQuery): RetrievalHit[] {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new CairnError('INVALID_INPUT', `retrieval: limit must be an integer ≥ 1, got ${String(query.limit)}`);
  }
  if (query.vector && query.vector.length !== o.dim) {
    throw new CairnError('INVALID_INPUT', `retrieval: query vector has length ${query.vector.length}; the index holds ${o.dim}-d vectors`);
  }
  if (query.minScore !== undefined && !(query.minScore >= 0 && query.minScore <= 1)) {
    throw new CairnError('INVALID_INPUT', `retrieval: minScore must be in 0..1, got ${String(query.minScore)}`);
  }
  if (store.size === 0) return [];
  const mask = filterMask(store.columns, query.filters, store.size);
  const words = store.tokenizer.terms(query.text);
  const terms = new Map<number, number>();
  for (const w of words) {
    const id = store.bm25.termId(w);
    if (id >= 0) terms.set(id, (terms.get(id) ?? 0) + 1);
  }
  const priors = createPriorScorer(
    store,
    {
      termIds: new Set(terms.keys()),
      isQuestion: isQuestionQuery(query.text),
      cues: o.temporal ? parseTemporalCues(query.text, query.now) : null,
      now: query.now,
      namesLabel: words.some((w) => store.isLabelTerm(w)),
    },
    o,
  );
  const ctx: Context = {
    store,
    o,
    query,
    terms,
    depth: Math.max(o.depth, query.limit * 3),
    ...(mask ? { accept: (slot: number) => mask[slot] === 1 } : {}),
    priors,
    prior: (slot) => priors.product(slot),
  };
  let text = textSignal(store, o, terms, { accept: ctx.accept });
  const evidence = evidenceOf(text, ctx.accept);
  try {
    if (o.feedback && terms.size > 0) {
      const seeds = topText(ctx, text, o.feedback.docs).map((h) => ({ slot: h.key, score: h.score }));
      const extra = feedbackTerms(store, seeds, terms, o.feedback.terms, o.feedback.weight);
      if (extra.size > 0) text = extendSignal(store, o, text, extra, { accept: ctx.accept });
    }
    return floor(
      rank(
        ctx,
        text,
        topText(ctx, text, ctx.depth).map((h) => h.key),
        evidence,
      ),
      query.minScore ?? 0,
    );
  } finally {
    text.release();
  }
}

/**
 * Documents with evidence of their own for the query: one of its words (stemmed) in the
 * document's text or fields. Taken from the first pass, so feedback terms and context lent by
 * neighbours or the thread are no evidence.
 */
function evidenceOf(text: TextSignal, accept?: (slot: number) => boolean): Set<number> {
  const found = new Set<number>();
  for (const slot of text.slots) if ((text.own[slot] as number) > 0 && (!accept || accept(slot))) found.add(slot);
  return found;
}

/** Hits whose relevance reaches `minScore` (all of them for 0). */
function floor(hits: RetrievalHit[], minScore: number): RetrievalHit[] {
  return minScore > 0 ? hits.filter((h) => h.parts.relevance >= minScore) : hits;
}

/** What one search knows besides the signals. */
interface Context {
  store: DocStore;
  o: ResolvedOptions;
  query: RetrievalQuery;
  /** Query term ids → counts. */
  terms: ReadonlyMap<number, number>;
  /** Candidates taken from each list. */
  depth: number;
  /** The filter; absent when nothing is filtered. */
  accept?: (slot: number) => boolean;
  priors: PriorScorer;
  /** Product of the priors of a slot. */
  prior: (slot: number) => number;
}

/** Fuses the text list with the vector and semantic lists, applies the priors, diversifies. */
function rank(ctx: Context, text: TextSignal, textList: number[], evidence: ReadonlySet<number>): RetrievalHit[] {
  const { store, o, query, depth, accept } = ctx;
  const vectorScores = new Map<number, number>();
  const lists: RankedList[] = [{ keys: textList, weight: o.weights.text }];
  if (query.vector && o.weights.vector > 0 && store.vectors.size > 0) {
    const hits = store.vectors.search(query.vector, depth, accept);
    for (const h of hits) vectorScores.set(h.key, h.score);
    lists.push({ keys: hits.map((h) => h.key), weight: o.weights.vector });
  }
  const semanticScores = new Map<number, number>();
  let semanticQuery: Float32Array | undefined;
  const { semantic } = store;
  if (semantic && o.weights.semantic > 0) {
    semantic.refresh(store.size, false);
    semanticQuery = semantic.embed(ctx.terms);
    if (semanticQuery) {
      const hits = semantic.search(semanticQuery, depth, accept);
      for (const h of hits) semanticScores.set(h.key, h.score);
      lists.push({ keys: hits.map((h) => h.key), weight: o.weights.semantic });
    }
  }

  const pool = [...new Set(lists.flatMap((l) => l.keys))];
  const textOf = (slot: number) => (text.own[slot] as number) + (text.lent[slot] as number);
  const vectorOf = (slot: number) => vectorScores.get(slot) ?? (query.vector && store.vectors.has(slot) ? store.vectors.similarity(query.vector, slot) : 0);
  const semanticOf = (slot: number) => semanticScores.get(slot) ?? (semantic && semanticQuery ? semantic.similarity(semanticQuery, slot) : 0);
  const rrf = reciprocalRankFusion(lists, o.rrfK);
  const fused =
    o.fusion === 'rrf'
      ? rrf
      : zScoreFusion(pool, [
          { value: textOf, weight: o.weights.text },
          { value: vectorOf, weight: query.vector ? o.weights.vector : 0 },
          { value: semanticOf, weight: semanticQuery ? o.weights.semantic : 0 },
        ]);

  const ranked = pool
    .map((slot) => ({ key: slot, score: (fused.get(slot) ?? 0) * ctx.prior(slot) }))
    .sort((a, b) => b.score - a.score || a.key - b.key)
    .slice(0, query.limit + 20);
  const picks =
    o.mmrLambda >= 1 || query.diversify === false
      ? ranked.slice(0, query.limit).map((c) => ({ ...c, redundancy: 0 }))
      : maximalMarginalRelevance(ranked, redundancy(store, o.mmrThreshold), query.limit, o.mmrLambda);

  const relevance = relevanceOf(
    ranked.map((c) => c.key),
    evidence,
    textOf,
    vectorOf,
    o,
  );
  return picks.map((pick): RetrievalHit => {
    const p = ctx.priors.parts(pick.key);
    const vector = vectorOf(pick.key);
    return {
      id: store.idOf(pick.key),
      score: pick.score,
      parts: {
        bm25: text.own[pick.key] as number,
        neighbours: text.lent[pick.key] as number,
        vector,
        semantic: semanticOf(pick.key),
        fused: fused.get(pick.key) ?? 0,
        rrf: rrf.get(pick.key) ?? 0,
        recency: p.recency,
        importance: p.importance,
        decay: p.decay,
        reward: p.reward,
        temporal: p.temporal,
        label: p.label,
        form: p.form,
        diversity: pick.redundancy,
        relevance: relevance(pick.key),
      },
    };
  });
}

/**
 * Relevance of the candidates (see `ScoreParts.relevance`): the text score (own + context) as a
 * share of the best candidate's, for a document with a query word of its own; the vector cosine as
 * a share of the best, for one whose vector is close enough to count as evidence; else 0. Both are
 * ratios of raw scores, so they mean the same in any corpus, unlike the fused score, whose z-scores
 * turn negligible differences between near-identical documents into large ones.
 */
function relevanceOf(
  candidates: readonly number[],
  evidence: ReadonlySet<number>,
  textOf: (slot: number) => number,
  vectorOf: (slot: number) => number,
  o: ResolvedOptions,
): (slot: number) => number {
  const close = evidence.size > 0 ? o.evidenceCosine.alone : Math.min(o.evidenceCosine.alone, o.evidenceCosine.unmatched);
  let bestText = 0;
  let bestVector = 0;
  for (const slot of candidates) {
    bestText = Math.max(bestText, textOf(slot));
    bestVector = Math.max(bestVector, vectorOf(slot));
  }
  return (slot) => {
    const text = evidence.has(slot) && bestText > 0 ? textOf(slot) / bestText : 0;
    const vector = vectorOf(slot);
    return Math.max(text, vector >= close && bestVector > 0 ? vector / bestVector : 0);
  };
}

/**
 * The k best accepted slots by text score × priors. Exact, but priors are computed only where
 * text score × `bound` could still beat the k-th best.
 */
function topText(ctx: Context, signal: TextSignal, k: number): Array<{ key: number; score: number }> {
  const { accept, prior } = ctx;
  const bound = ctx.priors.bound;
  const { own, lent, slots } = signal;
  const top = createTopK(k);
  let floor = -Infinity;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const total = (own[slot] as number) + (lent[slot] as number);
    if (total * bound <= floor || (accept && !accept(slot))) continue;
    top.push(slot, total * prior(slot));
    floor = top.threshold();
  }
  return top.sorted();
}

/**
 * Redundancy of two documents for MMR: vector cosine when both have vectors, else cosine of their
 * tf-idf term weights, rescaled so similarities under `threshold` count as no redundancy. Each
 * document's representation is built once per search.
 */
function redundancy(store: DocStore, threshold: number): (a: number, b: number) => number {
  const vectors = new Map<number, Float32Array | undefined>();
  const termWeights = new Map<number, Map<number, number>>();
  const vectorOf = (slot: number) => {
    if (!vectors.has(slot)) vectors.set(slot, store.vectors.get(slot));
    return vectors.get(slot);
  };
  const weightsOf = (slot: number) => {
    let w = termWeights.get(slot);
    if (!w) {
      w = new Map();
      const own = store.own(slot);
      let norm = 0;
      own?.ids.forEach((id, i) => {
        const x = (own.tfs[i] as number) * store.bm25.idf(id);
        (w as Map<number, number>).set(id, x);
        norm += x * x;
      });
      norm = Math.sqrt(norm);
      if (norm > 0) for (const [id, x] of w) w.set(id, x / norm);
      termWeights.set(slot, w);
    }
    return w;
  };
  return (a, b) => {
    let sim = 0;
    const va = vectorOf(a);
    const vb = vectorOf(b);
    if (va && vb) {
      // Four independent sums: the loop is bound by add latency, not by loads.
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < va.length; i += 4) {
        sim += (va[i] as number) * (vb[i] as number);
        s1 += (va[i + 1] as number) * (vb[i + 1] as number);
        s2 += (va[i + 2] as number) * (vb[i + 2] as number);
        s3 += (va[i + 3] as number) * (vb[i + 3] as number);
      }
      for (; i < va.length; i++) sim += (va[i] as number) * (vb[i] as number);
      sim += s1 + s2 + s3;
    } else {
      const wa = weightsOf(a);
      for (const [id, x] of weightsOf(b)) sim += x * (wa.get(id) ?? 0);
    }
    return sim <= threshold ? 0 : (sim - threshold) / (1 - threshold);
  };
}
