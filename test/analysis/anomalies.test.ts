import { describe, expect, it } from 'vitest';
import { anomalyThreshold, detectAnomalies } from '../../src/analysis/anomalies.js';
import { normalSeries } from './helpers.js';

describe('robust anomalies', () => {
  it('maps sensitivity 0 / 0.5 / 1 to thresholds 5 / 3.5 / 2', () => {
    expect(anomalyThreshold(0)).toBe(5);
    expect(anomalyThreshold(0.5)).toBe(3.5);
    expect(anomalyThreshold(1)).toBe(2);
  });

  it('finds spikes at known positions on a trending series, and nothing else', () => {
    const series = normalSeries(8, 200).map((e, i) => 5 + 0.1 * i + e);
    series[40] = (series[40] as number) + 12;
    series[150] = (series[150] as number) - 10;
    const r = detectAnomalies(series, 0.5);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.anomalies.map((a) => a.index)).toEqual([40, 150]);
    expect(r.anomalies.map((a) => a.direction)).toEqual(['high', 'low']);
    expect(r.baseline.slope).toBeCloseTo(0.1, 1);
    expect(r.scale).toBeCloseTo(1, 0);
  });

  it('higher sensitivity flags more points', () => {
    const series = normalSeries(9, 300);
    const low = detectAnomalies(series, 0);
    const high = detectAnomalies(series, 1);
    if (low.insufficient_data || high.insufficient_data) throw new Error('expected results');
    expect(low.count).toBe(0);
    expect(high.count).toBeGreaterThan(low.count);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    const r = detectAnomalies([1, 1, 1, 1, 1, 1, 1, 9, 1, 1]);
    if (r.insufficient_data) throw new Error('expected a result');
    expect(r.scale_method).toBe('mean_absolute_deviation');
    expect(r.anomalies.map((a) => a.index)).toEqual([7]);
  });

  it('insufficient data below 5 points; constant series has no anomalies', () => {
    expect(detectAnomalies([1, 2, 3, 4])).toMatchObject({ insufficient_data: true, required: 5 });
    const flat = detectAnomalies([2, 2, 2, 2, 2, 2]);
    expect(flat.insufficient_data === false && flat.scale_method).toBe('none');
  });
});
