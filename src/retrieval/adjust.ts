import type { RetrievalDoc } from './types.js';

/** Weights of the score multipliers from age, importance and reward. Each stays close to 1. */
export interface AdjustOptions {
  /** Share of the score that decays with age, 0..1: the factor runs from 1 down to 1 − weight. Default 0.1. */
  recencyWeight?: number;
  /** Age at which the decaying share has halved, in days. Default 90. */
  recencyHalfLifeDays?: number;
  /** Importance 0 → 1 − w/2, 0.5 → 1, 1 → 1 + w/2. Default 0.2. */
  importanceWeight?: number;
  /** Episode reward 0 → 1 − w/2, ≥ 1 → 1 + w/2. Default 0.2. */
  rewardWeight?: number;
}

const DAY = 86_400_000;

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5);

/**
 * Recency multiplier of a document that happened at `occurredAt`. Decay lowers rank but never
 * removes: the factor is bounded below by 1 − recencyWeight whatever the age; documents from the
 * future count as new.
 */
export function recencyFactor(occurredAt: number, now: number, options: AdjustOptions = {}): number {
  const w = clamp01(options.recencyWeight ?? 0.1);
  if (w === 0) return 1;
  const halfLife = (options.recencyHalfLifeDays ?? 90) * DAY;
  const age = Math.max(0, now - occurredAt);
  return 1 - w + w * 2 ** (-age / halfLife);
}

/** Importance multiplier (importance clamped to 0..1; 0.5 is neutral). */
export function importanceFactor(importance: number, options: AdjustOptions = {}): number {
  return 1 + (options.importanceWeight ?? 0.2) * (clamp01(importance) - 0.5);
}

/** Reward multiplier for an episode (reward clamped to 0..1; 0.5 is neutral). */
export function rewardFactor(reward: number, options: AdjustOptions = {}): number {
  return 1 + (options.rewardWeight ?? 0.2) * (clamp01(reward) - 0.5);
}

/** Disuse multiplier of a document: its `decay`, kept within (0, 1] (1 when unset or invalid). */
export function decayFactor(doc: Pick<RetrievalDoc, 'decay'>): number {
  const d = doc.decay;
  return d !== undefined && Number.isFinite(d) && d > 0 ? Math.min(1, d) : 1;
}

/** The product of the multipliers that depend on the document alone (importance, decay, reward). */
export function staticFactor(doc: RetrievalDoc, options: AdjustOptions = {}): number {
  const reward = doc.type === 'episode' && doc.reward !== undefined ? rewardFactor(doc.reward, options) : 1;
  return importanceFactor(doc.importance, options) * decayFactor(doc) * reward;
}
