import { pickCalibration, realisticEstimate } from './calibration.js';
import { fitsEnergy, orderForEnergy } from './energy-fit.js';
import type { AdhdRules, BreakKind, Calibration, CalibrationModel, EnergyDemand, EstimateSource, RealisticEstimate } from './types.js';

/** A step before planning. `rawMinutes: null` means nobody estimated it. */
export interface DraftStep {
  title: string;
  rawMinutes: number | null;
  source: Exclude<EstimateSource, 'starter' | 'sum'>;
  energy: EnergyDemand | null;
  needsFocus: boolean;
}

export interface PlanInput {
  steps: readonly DraftStep[];
  /** Insert a starter step first (a new task, or a parent without steps yet). */
  withStarter: boolean;
  model: CalibrationModel;
  category: string | null;
  energyNow?: number;
  now: number;
  deadline?: number;
  rules: AdhdRules;
}

export interface PlannedDraft {
  title: string;
  rawMinutes: number;
  source: EstimateSource;
  energy: EnergyDemand | null;
  needsFocus: boolean;
  isStarter: boolean;
  estimate: RealisticEstimate;
  calibration: Calibration | null;
  tooBig: boolean;
  splitHint: string | null;
  fitsEnergyNow: boolean | null;
}

export interface Plan {
  steps: PlannedDraft[];
  /** Indices into `steps`, starter first. */
  order: number[];
  orderWhy: string;
  breaks: Array<{ afterIndex: number; kind: BreakKind; minutes: number; why: string }>;
  totalRealisticMinutes: number;
  deadline: { at: number; minutesLeft: number; fits: boolean } | null;
}

/**
 * Plans a breakdown: realistic estimates from the best-fitting multiplier, a fixed-length starter
 * step, flags for steps over `maxStepMinutes`, an order for the current energy and breaks every
 * `breakEveryMinutes` of realistic work (alternating water and movement), never letting a planned
 * streak reach the hyperfocus line.
 */
export function planBreakdown(input: PlanInput): Plan {
  const { rules } = input;
  const steps: PlannedDraft[] = input.steps.map((d) => planStep(d, input));
  if (input.withStarter && steps.length > 0) steps.unshift(starterStep(steps[0]!.title, rules.starterMinutes));

  const rest = steps.map((s, i) => ({ ...s, i })).filter((s) => !s.isStarter);
  const { order: ordered, why } = orderForEnergy(rest, input.energyNow);
  const order = [...(steps[0]?.isStarter ? [0] : []), ...ordered.map((s) => s.i)];

  const breaks: Plan['breaks'] = [];
  let streak = 0;
  let total = 0;
  order.forEach((idx, k) => {
    const minutes = steps[idx]!.estimate.realisticMinutes;
    streak += minutes;
    total += minutes;
    if (streak >= rules.breakEveryMinutes && k < order.length - 1) {
      const movement = breaks.length % 2 === 1;
      const b = { afterIndex: idx, kind: (movement ? 'movement' : 'water') as BreakKind, minutes: movement ? 10 : 5 };
      breaks.push({
        ...b,
        why: `${streak} min of work without a break: ${movement ? 'stand up and move for 10 min' : 'water and 5 min away from the screen'}`,
      });
      total += b.minutes;
      streak = 0;
    }
  });

  const deadline =
    input.deadline === undefined
      ? null
      : (() => {
          const minutesLeft = Math.floor((input.deadline - input.now) / 60_000);
          return { at: input.deadline, minutesLeft, fits: total <= minutesLeft };
        })();
  return { steps, order, orderWhy: why, breaks, totalRealisticMinutes: total, deadline };
}

function planStep(d: DraftStep, input: PlanInput): PlannedDraft {
  const { rules, model } = input;
  const cal = pickCalibration(model, { energy: d.energy, category: input.category });
  const assumed = d.rawMinutes === null;
  const raw = d.rawMinutes ?? rules.defaultStepMinutes;
  const estimate = realisticEstimate(raw, cal, rules, assumed);
  // An assumed estimate is checked like a given one: a step nobody sized is no more likely to be small.
  const tooBig = estimate.realisticMinutes > rules.maxStepMinutes;
  const pieces = Math.ceil(estimate.realisticMinutes / rules.maxStepMinutes);
  const rawPerPiece = Math.max(1, Math.floor((rules.maxStepMinutes - rules.minBufferMinutes) / cal.multiplier));
  const sized = assumed ? `no estimate given, so ${raw} min was assumed: ` : '';
  return {
    title: d.title,
    rawMinutes: raw,
    source: assumed ? 'default' : d.source,
    energy: d.energy,
    needsFocus: d.needsFocus,
    isStarter: false,
    estimate,
    calibration: cal,
    tooBig,
    splitHint: tooBig
      ? `${sized}${estimate.realisticMinutes} realistic min is more than ${rules.maxStepMinutes}: ${assumed ? 'give estimate_minutes if it is smaller, or ' : ''}split into about ${pieces} pieces of ≤ ${rawPerPiece} raw min (call break_down_task with parent_task_id)`
      : null,
    fitsEnergyNow: input.energyNow === undefined ? null : fitsEnergy(d, input.energyNow),
  };
}

/** The starter: a fixed few minutes, not scaled, whose only job is to get going. */
export function starterStep(firstTitle: string, minutes: number): PlannedDraft {
  const short = firstTitle.length > 80 ? `${firstTitle.slice(0, 77)}…` : firstTitle;
  return {
    title: `Starter (${minutes} min): open what you need for "${short}" and do the first tiny bit`,
    rawMinutes: minutes,
    source: 'starter',
    energy: 'low',
    needsFocus: false,
    isStarter: true,
    estimate: {
      rawMinutes: minutes,
      multiplier: 1,
      bufferMinutes: 0,
      realisticMinutes: minutes,
      why: `starter: fixed at ${minutes} min and not scaled; its only job is to make starting easy`,
    },
    calibration: null,
    tooBig: false,
    splitHint: null,
    fitsEnergyNow: true,
  };
}
