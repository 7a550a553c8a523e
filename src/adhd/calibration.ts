import { bootstrapInterval, huberLocation } from './robust.js';
import { type Calibration, type CalibrationModel, type CalibrationSample, ENERGY_DEMANDS, type EnergyDemand, type RealisticEstimate } from './types.js';

/** Accepted range of the configured default multiplier. */
export const DEFAULT_MULTIPLIER_RANGE = { min: 1.5, max: 3 } as const;
/** A learned multiplier is clamped here so one namespace of bad data cannot produce absurd plans. */
export const LEARNED_MULTIPLIER_RANGE = { min: 0.25, max: 10 } as const;
/** At most this many recent samples are used: estimation habits drift. */
export const MAX_CALIBRATION_SAMPLES = 200;

const METHOD = 'exp(Huber location of log(actual/raw)), 90% percentile bootstrap (400 resamples, fixed seed)';

/** Options for {@link fitMultiplier} and {@link buildCalibrationModel}. */
export interface CalibrationOptions {
  /** Used until `minSamples` exist. */
  defaultMultiplier: number;
  /** Samples needed before a multiplier is learned (default 5). */
  minSamples?: number;
}

/** The default multiplier as a calibration. */
export function defaultCalibration(defaultMultiplier: number, scope = 'all'): Calibration {
  return { multiplier: defaultMultiplier, low: null, high: null, n: 0, source: 'default', scope, method: 'configured default' };
}

/**
 * Learns a multiplier from ratios actual ÷ raw. Works on log-ratios (a task taking twice as long
 * and one taking half as long are symmetric) with a Huber location estimate, so a forgotten timer
 * does not dominate. Fewer than `minSamples` valid ratios → the default, with `n` still reported.
 */
export function fitMultiplier(ratios: readonly number[], opts: CalibrationOptions, scope = 'all'): Calibration {
  const min = opts.minSamples ?? 5;
  const logs = ratios.filter((r) => Number.isFinite(r) && r > 0).map(Math.log);
  if (logs.length < min) return { ...defaultCalibration(opts.defaultMultiplier, scope), n: logs.length };
  const clamp = (x: number) => Math.min(LEARNED_MULTIPLIER_RANGE.max, Math.max(LEARNED_MULTIPLIER_RANGE.min, x));
  const est = (xs: number[]) => huberLocation(xs);
  const ci = bootstrapInterval(logs, est, { seed: logs.length });
  return {
    multiplier: round2(clamp(Math.exp(est(logs)))),
    low: round2(clamp(Math.exp(ci.low))),
    high: round2(clamp(Math.exp(ci.high))),
    n: logs.length,
    source: 'learned',
    scope,
    method: METHOD,
  };
}

/** Learns the overall multiplier plus one per step energy level and per category that has enough samples. */
export function buildCalibrationModel(samples: readonly CalibrationSample[], opts: CalibrationOptions): CalibrationModel {
  const recent = [...samples].sort((a, b) => b.at - a.at).slice(0, MAX_CALIBRATION_SAMPLES);
  const ratio = (s: CalibrationSample) => s.actualMinutes / s.rawMinutes;
  const min = opts.minSamples ?? 5;
  const byEnergy = new Map<EnergyDemand, Calibration>();
  for (const level of ENERGY_DEMANDS) {
    const group = recent.filter((s) => s.energy === level);
    if (group.length >= min) byEnergy.set(level, fitMultiplier(group.map(ratio), opts, `energy:${level}`));
  }
  const byCategory = new Map<string, Calibration>();
  const categories = new Set(recent.map((s) => s.category).filter((c): c is string => c !== null));
  for (const cat of categories) {
    const group = recent.filter((s) => s.category === cat);
    if (group.length >= min) byCategory.set(cat, fitMultiplier(group.map(ratio), opts, `category:${cat}`));
  }
  return { overall: fitMultiplier(recent.map(ratio), opts), byEnergy, byCategory, samples: recent.length };
}

/** The most specific learned multiplier for a step: its category, else its energy level, else overall. */
export function pickCalibration(model: CalibrationModel, step: { energy?: EnergyDemand | null; category?: string | null }): Calibration {
  return (step.category ? model.byCategory.get(step.category) : undefined) ?? (step.energy ? model.byEnergy.get(step.energy) : undefined) ?? model.overall;
}

/** Transition buffer: `per30` minutes for every started 30 scaled minutes, at least `min`. */
export function transitionBuffer(scaledMinutes: number, rules: { bufferPer30Minutes: number; minBufferMinutes: number }): number {
  return Math.max(rules.minBufferMinutes, Math.ceil(scaledMinutes / 30) * rules.bufferPer30Minutes);
}

/** realistic = raw × multiplier + transition buffer, rounded to whole minutes, with the reason. */
export function realisticEstimate(
  rawMinutes: number,
  cal: Calibration,
  rules: { bufferPer30Minutes: number; minBufferMinutes: number },
  assumed = false,
): RealisticEstimate {
  const scaled = rawMinutes * cal.multiplier;
  const buffer = transitionBuffer(scaled, rules);
  const realistic = Math.round(scaled) + buffer;
  const from = describeCalibration(cal);
  const raw = assumed ? `${fmt(rawMinutes)} min (assumed: no estimate given)` : `${fmt(rawMinutes)} min`;
  return {
    rawMinutes,
    multiplier: cal.multiplier,
    bufferMinutes: buffer,
    realisticMinutes: realistic,
    why: `${raw} × ${cal.multiplier} (${from}) = ${fmt(Math.round(scaled))} min + ${buffer} min transition = ${realistic} min`,
  };
}

/** One phrase saying where a multiplier came from. */
export function describeCalibration(cal: Calibration): string {
  if (cal.source === 'default') {
    return cal.n === 0
      ? 'default: no completed estimated tasks yet'
      : `default: only ${cal.n} completed estimated task${cal.n === 1 ? '' : 's'}, too few to learn from yet`;
  }
  const scope = cal.scope === 'all' ? '' : ` (${cal.scope.replace(':', ' ')})`;
  return `learned from your last ${cal.n} tasks${scope}, 90% interval ${cal.low}–${cal.high}`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
