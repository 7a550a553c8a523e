import { describe, expect, it } from 'vitest';
import { detectChangepoints } from '../../src/analysis/changepoints.js';
import { mulberry32 } from '../../src/prng.js';
import { normalSeries } from './helpers.js';

describe('changepoints', () => {
  it('finds a mean shift inserted at index 60 and labels it a mean shift', () => {
    const series = normalSeries(1, 120).map((v, i) => v + (i >= 60 ? 3 : 0));
    const r = detectChangepoints(series);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.changepoints.map((c) => c.index)).toEqual([60]);
    const shift = r.changepoints[0]!;
    expect(shift.kind).toBe('mean_shift');
    expect(shift.mean_after - shift.mean_before).toBeCloseTo(3, 0);
    expect(r.segments).toMatchObject([
      { start: 0, end: 59, n: 60 },
      { start: 60, end: 119, n: 60 },
    ]);
    expect(r.penalty.value).toBeCloseTo(3 * Math.log(120), 12);
  });

  it('finds a variance change (sd 1 → 4) at index 100 with the mean-and-variance cost', () => {
    const series = normalSeries(204, 200).map((v, i) => v * (i >= 100 ? 4 : 1));
    const r = detectChangepoints(series, { cost: 'meanvar' });
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.changepoints.map((c) => c.index)).toEqual([100]);
    expect(r.changepoints[0]?.kind).toBe('variance_change');
    expect(r.cost).toBe('normal mean and variance');
  });

  it('reports no changepoints in stationary noise', () => {
    for (const seed of [101, 102, 103]) {
      const r = detectChangepoints(normalSeries(seed, 500));
      expect(r.insufficient_data === false && r.changepoints).toEqual([]);
    }
  });

  it('uses the mean cost for discrete data (success/failure days) and still finds the shift', () => {
    const u = mulberry32(5);
    const days = Array.from({ length: 200 }, (_, i) => (u() < (i < 100 ? 0.9 : 0.3) ? 1 : 0));
    const r = detectChangepoints(days);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.cost).toBe('normal mean, robust common variance');
    expect(r.changepoints).toHaveLength(1);
    expect(Math.abs(r.changepoints[0]!.index - 100)).toBeLessThanOrEqual(5);
  });

  it('binary segmentation (long series) finds two shifts', () => {
    const series = normalSeries(42, 3000).map((v, i) => v + (i >= 1000 ? 1 : 0) - (i >= 2000 ? 2 : 0));
    const r = detectChangepoints(series);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.assumptions.join(' ')).toMatch(/binary segmentation/);
    expect(r.changepoints).toHaveLength(2);
    expect(Math.abs(r.changepoints[0]!.index - 1000)).toBeLessThanOrEqual(15);
    expect(Math.abs(r.changepoints[1]!.index - 2000)).toBeLessThanOrEqual(15);
  });

  it('PELT and binary segmentation agree on a single clear shift', () => {
    const series = normalSeries(3, 300).map((v, i) => v + (i >= 180 ? 2.5 : 0));
    const exact = detectChangepoints(series);
    const binseg = detectChangepoints(series, { peltMaxN: 0 });
    expect(exact.insufficient_data === false && exact.changepoints.map((c) => c.index)).toEqual(
      binseg.insufficient_data === false && binseg.changepoints.map((c) => c.index),
    );
  });

  it('constant and short series', () => {
    const flat = detectChangepoints(new Array(20).fill(4));
    expect(flat.insufficient_data === false && flat.changepoints).toEqual([]);
    expect(detectChangepoints([1, 2, 3, 4, 5, 6, 7, 8, 9])).toMatchObject({ insufficient_data: true, required: 10 });
  });
});
