import { CairnError } from '../errors.js';
import type { AdjustOptions } from './adjust.js';
import type { StemmerName } from './text/stem.js';

/** Defaults of `evidenceCosine` (see {@link RetrievalOptions.evidenceCosine}). */
export const DEFAULT_EVIDENCE_COSINE = { alone: 0.5, unmatched: 0.25 } as const;

/**
 * Tuning of {@link createRetrievalIndex}. Defaults were chosen on the LoCoMo dev file
 * (scripts/eval-inproc.ts prints the contribution of each); every technique is general.
 */
export interface RetrievalOptions {
  /** Vector length; documents and queries without a vector of this length rank by text only. */
  dim: number;
  /** Stemmer for index terms. Default `porter`. */
  stemmer?: StemmerName;
  /** BM25 term saturation. Default 1.2. */
  k1?: number;
  /** BM25 length normalisation. Default 0.75. */
  b?: number;
  /**
   * BM25F field weights. `context` is the text of the preceding document in the thread, scored
   * with the document at query time (a reply is found with what it replies to); what it adds is
   * context, bounded like the neighbours' shares. Defaults: text 1, tags 2, kind 1, meta 1,
   * context 0.5.
   */
  fieldWeights?: { text?: number; tags?: number; kind?: number; meta?: number; context?: number };
  /**
   * How the ranked signals are combined: `zscore` (default; each signal standardised over the
   * candidate pool, then a weighted sum) or `rrf` (reciprocal rank fusion).
   */
  fusion?: 'zscore' | 'rrf';
  /** RRF rank offset (fusion `rrf`). Default 60. */
  rrfK?: number;
  /** Candidates taken from each ranked list. Default 50 (at least 3 × limit); 100 measured alike. */
  depth?: number;
  /** Weights of the fused signals. Defaults: text 1, vector 0.2, semantic 0.3. */
  weights?: { text?: number; vector?: number; semantic?: number };
  /** Share of a document's text score (own fields + context field) passed to the next document in its thread. Default 0.5. */
  neighbourShare?: number;
  /** Share of a document's text score (own fields + context field) passed to the previous document in its thread. Default 0.35. */
  neighbourBackShare?: number;
  /** Share of the best direct text score in a document's segment (its run of linked neighbours) added to it. Default 0.2. */
  threadShare?: number;
  /** Adjacent documents of a thread further apart in time than this are not neighbours. Default 12 hours. */
  neighbourMaxGapHours?: number;
  /**
   * Threads inferred for memories that name none (no `thread`): in write order (`seq`, else
   * `createdAt`), two consecutive memories are neighbours when both their `occurredAt` and their
   * `createdAt` are within `gapMinutes` of each other — a client storing a conversation turn by
   * turn, or facts in one sitting, gets the same context as one that names a source; a pause, or
   * memories dated far apart, starts a new context. `false` turns it off. Default gap 30 minutes.
   */
  inferThreads?: false | { gapMinutes?: number };
  /**
   * What a neighbour with stronger direct evidence lends a document (its text as the context
   * field, its share) lifts the document at most to this share of that neighbour's text score, so
   * a neighbour never outranks the direct match it borrows from; what others lent is kept.
   * Default 0.9; `false` lifts without bound (for measurement only).
   */
  contextCeiling?: number | false;
  /** Multiplier when a query term names the document's leading label ("Caroline: …"). Default 1.75. */
  labelBoost?: number;
  /** Multiplier for documents that only ask a question, when the query is a question. Default 0.7. */
  questionFactor?: number;
  /** Temporal cues; `false` turns them off. */
  temporal?: false | { whenBoost?: number; periodBoost?: number };
  /** Pseudo-relevance feedback (a second pass with terms of the top documents); `false` turns it off. */
  feedback?: false | { docs?: number; terms?: number; weight?: number };
  /** Recency, importance and reward multipliers. */
  adjust?: AdjustOptions;
  /** MMR relevance share; 1 turns diversity off. Default 0.7. */
  mmrLambda?: number;
  /** Similarity below which two results are not redundant at all (MMR). Default 0.5. */
  mmrThreshold?: number;
  /** Learned semantic signal; `false` turns it off. */
  semantic?: false | SemanticOptions;
  /** Use the WebAssembly SIMD vector pre-scorer where available. Default true. */
  simd?: boolean;
  /**
   * Vector cosines from which a document counts as having evidence for the query on its own (see
   * `ScoreParts.relevance`), on the embedder's scale: `alone` always (default 0.5: with the hashing
   * embedder, 99.9% of the LoCoMo question–turn pairs that are not evidence score below it), and
   * `unmatched` when no document holds a word of the query — a misspelt or paraphrased query
   * (default 0.25: "pasport" scores 0.30 against a text with "passport").
   */
  evidenceCosine?: { alone?: number; unmatched?: number };
}

/** Tuning of the model-free semantic signal learned from the index's own texts. */
export interface SemanticOptions {
  /** Dimensions of the learned term space. Default 32 (64 measured alike, at twice the cost). */
  rank?: number;
  /** Fewest documents before a model is learned. Default 50. */
  minDocs?: number;
  /** Rebuild when this share of the documents changed since the last build. Default 0.2. */
  staleFraction?: number;
  /**
   * Largest namespace whose stale model a search rebuilds on the spot; above it only `refresh()`
   * rebuilds, and searches use the current model meanwhile. A rebuild takes ~0.3 s for a
   * 600-turn conversation, ~2 s for 5k and ~4 s for 100k documents with a large vocabulary
   * (most of it is fixed cost in the vocabulary size). Default 5000.
   */
  lazyRebuildLimit?: number;
  /** Most frequent terms modelled. Default 10000. */
  maxVocabulary?: number;
  /** Documents sampled to count co-occurrences (large namespaces). Default 8000. */
  maxSampleDocs?: number;
  /** PPMI entries kept per term (the strongest; symmetric union). Default 32. */
  maxPerRow?: number;
  /** Co-occurrence weight of a term pair from adjacent documents (a pair within one counts 1). Default 1. */
  neighbourWeight?: number;
  /** Term vectors are U·Σ^p; p weights the learned dimensions by their singular values. Default 0.5. */
  singularPower?: number;
  /** Seed of the randomized SVD, for reproducible models. Default 1. */
  seed?: number;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  dim: number;
  stemmer: StemmerName;
  k1: number;
  b: number;
  fieldWeights: { text: number; tags: number; kind: number; meta: number; context: number };
  fusion: 'zscore' | 'rrf';
  rrfK: number;
  depth: number;
  weights: { text: number; vector: number; semantic: number };
  neighbourShare: number;
  neighbourBackShare: number;
  threadShare: number;
  neighbourMaxGapHours: number;
  inferThreads: { gapMinutes: number } | false;
  contextCeiling: number | false;
  labelBoost: number;
  questionFactor: number;
  temporal: { whenBoost: number; periodBoost: number } | false;
  feedback: { docs: number; terms: number; weight: number } | false;
  adjust: AdjustOptions;
  mmrLambda: number;
  mmrThreshold: number;
  semantic: SemanticOptions | false;
  simd: boolean;
  evidenceCosine: { alone: number; unmatched: number };
}

/** Fills defaults and checks ranges; throws `INVALID_INPUT` naming the bad option. */
export function resolveOptions(o: RetrievalOptions): ResolvedOptions {
  if (!Number.isInteger(o.dim) || o.dim < 1) {
    throw new CairnError('INVALID_INPUT', `retrieval: dim must be a positive integer, got ${String(o.dim)}`);
  }
  const r: ResolvedOptions = {
    dim: o.dim,
    stemmer: o.stemmer ?? 'porter',
    k1: o.k1 ?? 1.2,
    b: o.b ?? 0.75,
    fieldWeights: { text: 1, tags: 2, kind: 1, meta: 1, context: 0.5, ...o.fieldWeights },
    fusion: o.fusion ?? 'zscore',
    rrfK: o.rrfK ?? 60,
    depth: o.depth ?? 50,
    weights: { text: 1, vector: 0.2, semantic: 0.3, ...o.weights },
    neighbourShare: o.neighbourShare ?? 0.5,
    neighbourBackShare: o.neighbourBackShare ?? 0.35,
    threadShare: o.threadShare ?? 0.2,
    neighbourMaxGapHours: o.neighbourMaxGapHours ?? 12,
    inferThreads: o.inferThreads === false ? false : { gapMinutes: 30, ...o.inferThreads },
    contextCeiling: o.contextCeiling ?? 0.9,
    labelBoost: o.labelBoost ?? 1.75,
    questionFactor: o.questionFactor ?? 0.7,
    temporal: o.temporal === false ? false : { whenBoost: 1.5, periodBoost: 1, ...o.temporal },
    feedback: o.feedback === false ? false : { docs: 3, terms: 10, weight: 0.3, ...o.feedback },
    adjust: o.adjust ?? {},
    mmrLambda: o.mmrLambda ?? 0.7,
    mmrThreshold: o.mmrThreshold ?? 0.5,
    semantic: o.semantic === false ? false : { ...o.semantic },
    simd: o.simd ?? true,
    evidenceCosine: { ...DEFAULT_EVIDENCE_COSINE, ...o.evidenceCosine },
  };
  const bad = (name: string, value: number, range: string) =>
    new CairnError('INVALID_INPUT', `retrieval: option ${name} must be ${range}, got ${String(value)}`);
  if (!(r.k1 > 0)) throw bad('k1', r.k1, '> 0');
  if (!(r.b >= 0 && r.b <= 1)) throw bad('b', r.b, 'in 0..1');
  if (!(r.mmrLambda >= 0 && r.mmrLambda <= 1)) throw bad('mmrLambda', r.mmrLambda, 'in 0..1');
  if (!(r.rrfK >= 0)) throw bad('rrfK', r.rrfK, '≥ 0');
  if (!(Number.isInteger(r.depth) && r.depth >= 1)) throw bad('depth', r.depth, 'an integer ≥ 1');
  return r;
}
