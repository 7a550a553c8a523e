import { decayFactor, importanceFactor, recencyFactor, rewardFactor } from './adjust.js';
import type { DocInfo } from './doc-store.js';
import type { ResolvedOptions } from './options.js';
import { periodMatch, type TemporalCues } from './temporal.js';

/** The query-dependent multipliers of one document. */
export interface Priors {
  recency: number;
  importance: number;
  decay: number;
  reward: number;
  /** When-question × named-period match. */
  temporal: number;
  /** The query names the document's leading label. */
  label: number;
  /** The document only asks a question. */
  form: number;
  /** Product of all of the above. */
  product: number;
}

/** What the priors need to know about the query. */
export interface QueryContext {
  terms: ReadonlySet<string>;
  isQuestion: boolean;
  cues: TemporalCues | null;
  now: number;
  /** True when some query term is the leading label of some document (else no label can match). */
  namesLabel: boolean;
}

/** Multipliers for one query. */
export interface PriorScorer {
  /** Product of the multipliers of a document (the hot path: no allocation). */
  product(info: DocInfo): number;
  /** Every multiplier of a document (for the score parts of the results). */
  parts(info: DocInfo): Priors;
  /** An upper bound of `product` over every document, for exact top-k pruning. */
  readonly bound: number;
}

/**
 * Multipliers applied to the fused score: recency, importance, decay and reward (gentle, never
 * below their floors), temporal cues (documents that mention a time for "when" questions; documents
 * from a period the query names), the leading-label match and the question-form penalty.
 */
export function createPriorScorer(query: QueryContext, options: ResolvedOptions): PriorScorer {
  const temporalOptions = query.cues ? options.temporal : false;
  const cues = query.cues;
  const temporal = (info: DocInfo) => {
    if (!temporalOptions || !cues) return 1;
    let t = 1;
    if (cues.asksWhen && info.mentionsTime) t *= temporalOptions.whenBoost;
    if (cues.periods.length > 0) t *= 1 + temporalOptions.periodBoost * periodMatch(info.doc.occurredAt, cues.periods);
    return t;
  };
  const label = (info: DocInfo) => {
    if (!query.namesLabel) return 1;
    for (const t of info.label) if (query.terms.has(t)) return options.labelBoost;
    return 1;
  };
  const form = (info: DocInfo) => (query.isQuestion && info.asks ? options.questionFactor : 1);
  const recency = (info: DocInfo) => recencyFactor(info.doc, query.now, options.adjust);

  const up = (x: number) => Math.max(1, x);
  let bound = up(importanceFactor(1, options.adjust)) * up(rewardFactor(1, options.adjust)) * up(options.questionFactor);
  if (query.namesLabel) bound *= up(options.labelBoost);
  if (temporalOptions && cues) {
    if (cues.asksWhen) bound *= up(temporalOptions.whenBoost);
    if (cues.periods.length > 0) bound *= up(1 + temporalOptions.periodBoost);
  }

  return {
    bound,
    product: (info) => info.staticPrior * recency(info) * temporal(info) * label(info) * form(info),
    parts(info) {
      const p = {
        recency: recency(info),
        importance: importanceFactor(info.doc.importance, options.adjust),
        decay: decayFactor(info.doc),
        reward: info.doc.type === 'episode' && info.doc.reward !== undefined ? rewardFactor(info.doc.reward, options.adjust) : 1,
        temporal: temporal(info),
        label: label(info),
        form: form(info),
      };
      return { ...p, product: p.recency * p.importance * p.decay * p.reward * p.temporal * p.label * p.form };
    },
  };
}
