import { type EpisodeDuration, formatDuration } from './duration.js';
import type { Outcome, Reward, Steps } from './types.js';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Inputs to the reward beyond the outcome and steps. */
export interface RewardInput {
  outcome: Outcome;
  steps: Steps;
  complexity: 'simple' | 'moderate' | 'complex';
  /** How long the work took (`episodeDuration`): the wall time, or the logged step time when that is longer. */
  duration: EpisodeDuration;
  /** Patterns this episode created (not merely reinforced). */
  newPatterns: number;
}

const COMPLEXITY = { simple: 1.0, moderate: 1.1, complex: 1.2 } as const;

/**
 * The reward of a completed episode, with every factor:
 * `total = max(0, base) × efficiency × complexity × quality + learning_bonus`.
 */
export function computeReward(input: RewardInput): Reward {
  const notes: string[] = [];
  const base = baseReward(input.outcome);
  const efficiency = efficiencyFactor(input.duration.ms, input.steps.length);
  if (input.duration.basis === 'logged') {
    notes.push(
      `duration ${formatDuration(input.duration.ms)}: the steps' logged latency_ms (${formatDuration(input.duration.wallMs)} between start and completion)`,
    );
  }
  const complexity = COMPLEXITY[input.complexity];
  const quality = qualityFactor(input.outcome, input.steps, notes);
  const learning = learningBonus(input, notes);
  const total = Math.max(0, base) * efficiency * complexity * quality + learning;
  return { total: round(total), base: round(base), efficiency: round(efficiency), complexity, quality: round(quality), learning_bonus: round(learning), notes };
}

/** success 1; partial completed/(completed+failed), 0.5 when both are empty; failure 0; abstained 0.3. */
export function baseReward(o: Outcome): number {
  switch (o.type) {
    case 'success':
      return 1;
    case 'failure':
      return 0;
    case 'abstained':
      return 0.3;
    case 'partial_success': {
      const c = o.completed?.length ?? 0;
      const f = o.failed?.length ?? 0;
      return c + f === 0 ? 0.5 : c / (c + f);
    }
  }
}

/** 0.5·d + 0.5·s, each `0.5 + exp(−(x/T)/2)` (T = 60 s, 10 steps), clamped to [0.5, 1.5]. */
export function efficiencyFactor(durationMs: number, stepCount: number): number {
  const part = (x: number, t: number) => 0.5 + Math.exp(-(x / t) / 2);
  return clamp(0.5 * part(Math.max(0, durationMs) / 1000, 60) + 0.5 * part(stepCount, 10), 0.5, 1.5);
}

function qualityFactor(o: Outcome, steps: Steps, notes: string[]): number {
  let q = 1;
  const artifacts = o.artifacts ?? [];
  if (artifacts.some((a) => /test|spec|coverage/i.test(a))) {
    q += 0.1;
    notes.push('quality +0.1: test or coverage artifact');
  }
  if (artifacts.length >= 3) {
    q += 0.05;
    notes.push('quality +0.05: three or more artifacts');
  }
  if (steps.length > 0) {
    const rate = errorRate(steps);
    if (rate > 0.3) {
      q -= 0.2;
      notes.push(`quality −0.2: step error rate ${(rate * 100).toFixed(0)}% > 30%`);
    } else if (rate > 0.1) {
      q -= 0.1;
      notes.push(`quality −0.1: step error rate ${(rate * 100).toFixed(0)}% > 10%`);
    } else if (rate === 0) {
      q += 0.1;
      notes.push('quality +0.1: no failed steps');
    }
  }
  return clamp(q, 0.5, 1.5);
}

function learningBonus(input: RewardInput, notes: string[]): number {
  const { steps } = input;
  let bonus = 0;
  if (input.newPatterns > 0) {
    const b = Math.min(0.3, 0.1 * input.newPatterns);
    bonus += b;
    notes.push(`learning +${b.toFixed(2)}: ${input.newPatterns} new pattern(s)`);
  }
  if (steps.length >= 3) {
    const distinct = new Set(steps.map((s) => s.tool)).size;
    if (distinct >= 5) {
      bonus += 0.15;
      notes.push(`learning +0.15: ${distinct} distinct tools`);
    } else if (distinct >= 3) {
      bonus += 0.1;
      notes.push(`learning +0.10: ${distinct} distinct tools`);
    }
  }
  if (steps.length >= 5 && 1 - errorRate(steps) > 0.9) {
    bonus += 0.2;
    notes.push('learning +0.20: step success rate above 90% over 5+ steps');
  }
  if (hasRecovery(steps)) {
    bonus += 0.15;
    notes.push('learning +0.15: recovered from an error');
  }
  if (input.duration.ms < 30_000 && steps.length < 10 && input.outcome.type === 'success') {
    bonus += 0.1;
    notes.push('learning +0.10: fast (under 30 s and 10 steps)');
  }
  return Math.min(0.5, bonus);
}

/** Share of steps whose result is an error or a timeout. */
export function errorRate(steps: Steps): number {
  if (steps.length === 0) return 0;
  return steps.filter((s) => s.result && s.result.type !== 'success').length / steps.length;
}

/** True when some failed step is followed later by a successful one. */
export function hasRecovery(steps: Steps): boolean {
  let sawError = false;
  for (const s of steps) {
    if (s.result && s.result.type !== 'success') sawError = true;
    else if (sawError && s.result?.type === 'success') return true;
  }
  return false;
}
