import { describe, expect, it } from 'vitest';
import { type DraftStep, planBreakdown, starterStep } from '../../src/adhd/breakdown.js';
import { buildCalibrationModel } from '../../src/adhd/calibration.js';
import { DEFAULT_RULES } from '../../src/adhd/types.js';

const model = buildCalibrationModel([], { defaultMultiplier: 2.5 });
const draft = (title: string, rawMinutes: number | null, energy: DraftStep['energy'] = null): DraftStep => ({
  title,
  rawMinutes,
  source: 'client',
  energy,
  needsFocus: false,
});
const base = { withStarter: true, model, category: null, now: 0, rules: { ...DEFAULT_RULES } };

describe('planBreakdown', () => {
  it('puts a starter of at most 5 minutes first, unscaled', () => {
    const p = planBreakdown({ ...base, steps: [draft('Write intro', 8)] });
    expect(p.steps[0]).toMatchObject({ isStarter: true, source: 'starter', calibration: null });
    expect(p.steps[0]!.estimate.realisticMinutes).toBeLessThanOrEqual(5);
    expect(p.steps[0]!.title).toContain('Write intro');
    expect(p.order[0]).toBe(0);
  });
  it('adds no starter when asked not to, or when there are no steps', () => {
    expect(planBreakdown({ ...base, withStarter: false, steps: [draft('a', 5)] }).steps.some((s) => s.isStarter)).toBe(false);
    expect(planBreakdown({ ...base, steps: [] }).steps).toEqual([]);
  });
  it('flags a step above 25 realistic minutes but not at 25', () => {
    // 8 × 2.5 = 20 + 5 = 25 (kept); 9 × 2.5 = 22.5 → 23 + 5 = 28 (flagged)
    const p = planBreakdown({ ...base, withStarter: false, steps: [draft('ok', 8), draft('big', 9)] });
    expect(p.steps.map((s) => [s.estimate.realisticMinutes, s.tooBig])).toEqual([
      [25, false],
      [28, true],
    ]);
    expect(p.steps[1]!.splitHint).toContain('2 pieces of ≤ 8 raw min');
    expect(p.steps[0]!.splitHint).toBeNull();
  });
  it('honours a configured maximum', () => {
    const p = planBreakdown({ ...base, withStarter: false, rules: { ...DEFAULT_RULES, maxStepMinutes: 40 }, steps: [draft('x', 12)] });
    expect(p.steps[0]!.tooBig).toBe(false);
  });
  it('assumes a default for unestimated steps and checks it against the split rule like any other', () => {
    const p = planBreakdown({ ...base, withStarter: false, steps: [draft('x', null)] });
    expect(p.steps[0]).toMatchObject({ rawMinutes: 10, source: 'default', tooBig: true });
    expect(p.steps[0]!.estimate.why).toContain('assumed');
    expect(p.steps[0]!.splitHint).toContain('no estimate given');
    const roomy = planBreakdown({ ...base, withStarter: false, rules: { ...DEFAULT_RULES, maxStepMinutes: 30 }, steps: [draft('x', null)] });
    expect(roomy.steps[0]).toMatchObject({ source: 'default', tooBig: false, splitHint: null });
  });
  it('suggests alternating water and movement breaks every 50 realistic minutes, not after the last step', () => {
    // each step: 10 × 2.5 + 5 = 30 min
    const p = planBreakdown({ ...base, withStarter: false, steps: ['a', 'b', 'c', 'd', 'e'].map((t) => draft(t, 10)) });
    expect(p.breaks.map((b) => [b.afterIndex, b.kind, b.minutes])).toEqual([
      [1, 'water', 5],
      [3, 'movement', 10],
    ]);
    expect(p.totalRealisticMinutes).toBe(5 * 30 + 5 + 10);
  });
  it('orders for the current energy after the starter and marks fit', () => {
    const p = planBreakdown({ ...base, energyNow: 2, steps: [draft('hard', 5, 'high'), draft('easy', 5, 'low')] });
    expect(p.order.map((i) => p.steps[i]!.title.slice(0, 4))).toEqual(['Star', 'easy', 'hard']);
    expect(p.steps.map((s) => s.fitsEnergyNow)).toEqual([true, false, true]);
    expect(p.orderWhy).toContain('energy 2/10 (low)');
  });
  it('checks the total against a deadline', () => {
    const steps = [draft('a', 10), draft('b', 10)];
    const total = planBreakdown({ ...base, steps }).totalRealisticMinutes; // 5 + 30 + 30, no break after the last step
    expect(total).toBe(65);
    expect(planBreakdown({ ...base, steps, deadline: 65 * 60_000 }).deadline).toEqual({ at: 65 * 60_000, minutesLeft: 65, fits: true });
    expect(planBreakdown({ ...base, steps, deadline: 64 * 60_000 }).deadline?.fits).toBe(false);
  });
  it('uses a learned multiplier for the matching energy level', () => {
    const samples = Array.from({ length: 5 }, (_, i) => ({ rawMinutes: 10, actualMinutes: 15, energy: 'low' as const, category: null, at: i }));
    const learned = buildCalibrationModel(samples, { defaultMultiplier: 2.5 });
    const p = planBreakdown({ ...base, model: learned, withStarter: false, steps: [draft('l', 10, 'low'), draft('h', 10, 'high')] });
    expect(p.steps.map((s) => s.calibration?.multiplier)).toEqual([1.5, 1.5]);
    expect(p.steps[0]!.calibration?.scope).toBe('energy:low');
    expect(p.steps[1]!.calibration?.scope).toBe('all');
  });
});

describe('starterStep', () => {
  it('shortens long titles', () => {
    expect(starterStep('x'.repeat(200), 5).title).toContain('x'.repeat(77) + '…');
  });
});
