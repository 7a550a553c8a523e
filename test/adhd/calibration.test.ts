import { describe, expect, it } from 'vitest';
import {
  buildCalibrationModel,
  defaultCalibration,
  describeCalibration,
  fitMultiplier,
  pickCalibration,
  realisticEstimate,
  transitionBuffer,
} from '../../src/adhd/calibration.js';
import { bootstrapInterval, huberLocation } from '../../src/adhd/robust.js';
import type { CalibrationSample } from '../../src/adhd/types.js';
import { createPrng } from '../../src/prng.js';

const rules = { bufferPer30Minutes: 5, minBufferMinutes: 5 };
const opts = { defaultMultiplier: 2.5 };

describe('huberLocation', () => {
  it('equals the mean for symmetric data without outliers', () => {
    expect(huberLocation([1, 2, 3, 4, 5])).toBeCloseTo(3, 9);
  });
  it('returns the median when the MAD is zero', () => {
    expect(huberLocation([2, 2, 2, 2, 9])).toBe(2);
  });
  it('resists one wild value far better than the mean', () => {
    const xs = [1, 1.1, 0.9, 1.05, 0.95, 1, 50];
    expect(huberLocation(xs)).toBeLessThan(1.3);
  });
  it('rejects empty input', () => {
    expect(() => huberLocation([])).toThrow(RangeError);
  });
});

describe('bootstrapInterval', () => {
  it('is deterministic for a seed and brackets the estimate', () => {
    const xs = Array.from({ length: 30 }, (_, i) => Math.sin(i) + 2);
    const a = bootstrapInterval(xs, huberLocation, { seed: 3 });
    const b = bootstrapInterval(xs, huberLocation, { seed: 3 });
    expect(a).toEqual(b);
    expect(a.low).toBeLessThanOrEqual(huberLocation(xs));
    expect(a.high).toBeGreaterThanOrEqual(huberLocation(xs));
  });
});

describe('prng', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = createPrng(1);
    const b = createPrng(1);
    const c = createPrng(2);
    const xa = [a.next(), a.next()];
    expect([b.next(), b.next()]).toEqual(xa);
    expect(c.next()).not.toBe(xa[0]);
  });
  it('gives normals with mean ≈ 0 and sd ≈ 1', () => {
    const r = createPrng(9);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});

describe('fitMultiplier', () => {
  it('uses the default below the minimum sample count (4 samples) and reports n', () => {
    const c = fitMultiplier([2, 2, 2, 2], opts);
    expect(c).toMatchObject({ multiplier: 2.5, source: 'default', n: 4, low: null, high: null });
  });
  it('learns at exactly the minimum (5 samples)', () => {
    const c = fitMultiplier([2, 2, 2, 2, 2], opts);
    expect(c).toMatchObject({ multiplier: 2, low: 2, high: 2, n: 5, source: 'learned', scope: 'all' });
  });
  it('honours a custom minimum', () => {
    expect(fitMultiplier([2, 2, 2], { ...opts, minSamples: 3 }).source).toBe('learned');
  });
  it('ignores ratios that are not finite and positive', () => {
    const c = fitMultiplier([2, 2, 2, 2, 0, -1, Number.NaN, Number.POSITIVE_INFINITY], opts);
    expect(c).toMatchObject({ source: 'default', n: 4 });
  });
  it('is robust to a forgotten timer', () => {
    const c = fitMultiplier([1.8, 2, 2.2, 1.9, 2.1, 2, 40], opts);
    expect(c.multiplier).toBeGreaterThan(1.8);
    expect(c.multiplier).toBeLessThan(2.3);
  });
  it('treats over- and under-runs symmetrically (geometric centre)', () => {
    expect(fitMultiplier([1, 4, 1, 4, 2, 2], opts).multiplier).toBeCloseTo(2, 1);
  });
  it('gives an interval that contains the estimate and is deterministic', () => {
    const ratios = [1.2, 1.5, 1.9, 2.4, 3.1, 1.7, 2.2, 2.8];
    const a = fitMultiplier(ratios, opts);
    expect(a.low!).toBeLessThanOrEqual(a.multiplier);
    expect(a.high!).toBeGreaterThanOrEqual(a.multiplier);
    expect(fitMultiplier(ratios, opts)).toEqual(a);
  });
  it('clamps absurd learned values', () => {
    expect(fitMultiplier([100, 100, 100, 100, 100], opts).multiplier).toBe(10);
    expect(fitMultiplier([0.01, 0.01, 0.01, 0.01, 0.01], opts).multiplier).toBe(0.25);
  });
});

describe('buildCalibrationModel / pickCalibration', () => {
  const s = (ratio: number, energy: CalibrationSample['energy'], category: string | null, at: number): CalibrationSample => ({
    rawMinutes: 10,
    actualMinutes: 10 * ratio,
    energy,
    category,
    at,
  });
  it('learns per energy level and per category once each has enough samples', () => {
    const samples = [
      ...Array.from({ length: 5 }, (_, i) => s(3, 'high', 'writing', i)),
      ...Array.from({ length: 5 }, (_, i) => s(1.5, 'low', null, 10 + i)),
      ...Array.from({ length: 4 }, (_, i) => s(2, 'medium', 'email', 20 + i)),
    ];
    const m = buildCalibrationModel(samples, opts);
    expect(m.samples).toBe(14);
    expect(m.overall.source).toBe('learned');
    expect(m.byEnergy.get('high')?.multiplier).toBe(3);
    expect(m.byEnergy.get('low')?.multiplier).toBe(1.5);
    expect(m.byEnergy.get('medium')).toBeUndefined();
    expect(m.byCategory.get('writing')?.scope).toBe('category:writing');
    expect(m.byCategory.get('email')).toBeUndefined();
    expect(pickCalibration(m, { energy: 'low', category: 'writing' }).scope).toBe('category:writing');
    expect(pickCalibration(m, { energy: 'low', category: 'email' }).scope).toBe('energy:low');
    expect(pickCalibration(m, { energy: 'medium', category: null }).scope).toBe('all');
  });
  it('uses only the 200 most recent samples', () => {
    const old = Array.from({ length: 300 }, (_, i) => s(5, null, null, i));
    const recent = Array.from({ length: 200 }, (_, i) => s(2, null, null, 1000 + i));
    const m = buildCalibrationModel([...old, ...recent], opts);
    expect(m.overall.multiplier).toBe(2);
    expect(m.overall.n).toBe(200);
  });
  it('falls back to the default everywhere with no samples', () => {
    const m = buildCalibrationModel([], opts);
    expect(m.overall).toEqual(defaultCalibration(2.5));
    expect(pickCalibration(m, { energy: 'high', category: 'x' })).toEqual(defaultCalibration(2.5));
  });
});

describe('transitionBuffer', () => {
  it.each([
    [0.5, 5],
    [30, 5],
    [30.01, 10],
    [60, 10],
    [60.5, 15],
    [120, 20],
  ])('scaled %d min → %d min buffer', (scaled, buffer) => {
    expect(transitionBuffer(scaled, rules)).toBe(buffer);
  });
  it('respects a larger minimum', () => {
    expect(transitionBuffer(10, { bufferPer30Minutes: 5, minBufferMinutes: 15 })).toBe(15);
  });
});

describe('realisticEstimate', () => {
  it('is raw × multiplier + buffer, explained', () => {
    const e = realisticEstimate(10, defaultCalibration(2.5), rules);
    expect(e).toMatchObject({ rawMinutes: 10, multiplier: 2.5, bufferMinutes: 5, realisticMinutes: 30 });
    expect(e.why).toBe('10 min × 2.5 (default: no completed estimated tasks yet) = 25 min + 5 min transition = 30 min');
  });
  it('crosses into the next buffer step above 30 scaled minutes', () => {
    expect(realisticEstimate(12, defaultCalibration(2.5), rules).realisticMinutes).toBe(35);
    expect(realisticEstimate(13, defaultCalibration(2.5), rules).realisticMinutes).toBe(33 + 10);
  });
  it('says when the raw estimate was assumed and where a learned multiplier came from', () => {
    const cal = fitMultiplier([2, 2, 2, 2, 2, 2], opts, 'energy:high');
    const e = realisticEstimate(10, cal, rules, true);
    expect(e.why).toContain('assumed');
    expect(e.why).toContain('learned from your last 6 tasks (energy high)');
  });
  it('describes a default with some samples', () => {
    expect(describeCalibration({ ...defaultCalibration(2.5), n: 1 })).toContain('only 1 completed estimated task,');
  });
});
