import { importanceFactor, recencyFactor, rewardFactor } from './adjust.js';
import { FLAG, TYPE_CODE } from './columns.js';
import type { DocStore } from './doc-store.js';
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
  /** Ids of the query's terms in the store's vocabulary. */
  termIds: ReadonlySet<number>;
  isQuestion: boolean;
  cues: TemporalCues | null;
  now: number;
  /** True when some query term is the leading label of some document (else no label can match). */
  namesLabel: boolean;
}

/** Multipliers for one query. */
export interface PriorScorer {
  /** Product of the multipliers of the document in `slot` (the hot path: no allocation). */
  product(slot: number): number;
  /** Every multiplier of a document (for the score parts of the results). */
  parts(slot: number): Priors;
  /** An upper bound of `product` over every document, for exact top-k pruning. */
  readonly bound: number;
}

/**
 * Multipliers applied to the fused score: recency, importance, decay and reward (gentle, never
 * below their floors), temporal cues (documents that mention a time for "when" questions; documents
 * from a period the query names), the leading-label match and the question-form penalty.
 */
export function createPriorScorer(store: DocStore, query: QueryContext, options: ResolvedOptions): PriorScorer {
  const temporalOptions = query.cues ? options.temporal : false;
  const cues = query.cues;
  const columns = store.columns;
  const temporal = (slot: number) => {
    if (!temporalOptions || !cues) return 1;
    let t = 1;
    if (cues.asksWhen && ((columns.flags[slot] as number) & FLAG.mentionsTime) !== 0) t *= temporalOptions.whenBoost;
    if (cues.periods.length > 0) t *= 1 + temporalOptions.periodBoost * periodMatch(columns.occurredAt[slot] as number, cues.periods);
    return t;
  };
  const label = (slot: number) => (query.namesLabel && store.labelMatches(slot, query.termIds) ? options.labelBoost : 1);
  const form = (slot: number) => (query.isQuestion && ((columns.flags[slot] as number) & FLAG.asks) !== 0 ? options.questionFactor : 1);
  const recency = (slot: number) => recencyFactor(columns.occurredAt[slot] as number, query.now, options.adjust);

  const up = (x: number) => Math.max(1, x);
  let bound = up(importanceFactor(1, options.adjust)) * up(rewardFactor(1, options.adjust)) * up(options.questionFactor);
  if (query.namesLabel) bound *= up(options.labelBoost);
  if (temporalOptions && cues) {
    if (cues.asksWhen) bound *= up(temporalOptions.whenBoost);
    if (cues.periods.length > 0) bound *= up(1 + temporalOptions.periodBoost);
  }

  return {
    bound,
    product: (slot) => (columns.staticPrior[slot] as number) * recency(slot) * temporal(slot) * label(slot) * form(slot),
    parts(slot) {
      const reward = columns.reward[slot] as number;
      const p = {
        recency: recency(slot),
        importance: importanceFactor(columns.importance[slot] as number, options.adjust),
        decay: columns.decay[slot] as number,
        reward: columns.type[slot] === TYPE_CODE.episode && !Number.isNaN(reward) ? rewardFactor(reward, options.adjust) : 1,
        temporal: temporal(slot),
        label: label(slot),
        form: form(slot),
      };
      return { ...p, product: p.recency * p.importance * p.decay * p.reward * p.temporal * p.label * p.form };
    },
  };
}
