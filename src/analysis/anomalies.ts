import { medianOf } from './order-stats.js';
import { insufficient } from './result.js';
import { senSlope } from './sen-slope.js';
import type { Anomalies } from './types.js';

const METHOD = 'robust z-score (median/MAD) anomalies';
/** Anomalies listed in full up to this many; `count` always gives the total. */
export const MAX_LISTED_ANOMALIES = 100;
/** Points needed for a meaningful median/MAD. */
export const ANOMALY_MIN_POINTS = 5;

/**
 * Maps `anomaly_sensitivity` s ∈ [0, 1] to a robust-z threshold: 5 − 3s. So s = 0 → 5 (only gross
 * outliers), the default s = 0.5 → 3.5 (Iglewicz & Hoaglin's recommended cut-off), s = 1 → 2.
 */
export function anomalyThreshold(sensitivity: number): number {
  const s = Math.min(1, Math.max(0, sensitivity));
  return 5 - 3 * s;
}

/**
 * Flags points whose robust z-score |x_i − baseline_i| / scale exceeds {@link anomalyThreshold}.
 * The baseline is Sen's line (robust to the outliers being sought), so a steady trend is not
 * mistaken for anomalies; scale is 1.4826 × MAD of the residuals, or 1.2533 × their mean absolute
 * deviation from the median when MAD is 0 (more than half the residuals equal). Needs n ≥ 5.
 * `baseline` passes an already computed Sen line (slope and intercept) to avoid recomputing it.
 */
export function detectAnomalies(values: readonly number[], sensitivity = 0.5, baseline?: { slope: number; intercept: number }): Anomalies {
  const n = values.length;
  if (n < ANOMALY_MIN_POINTS) return insufficient(METHOD, n, ANOMALY_MIN_POINTS);
  const line = baseline ?? senSlope(values);
  const usable = 'slope' in line;
  const slope = usable ? line.slope : 0;
  const intercept = usable ? line.intercept : medianOf(values);
  const residuals = values.map((v, i) => v - (intercept + slope * i));
  const center = medianOf(residuals);
  const deviations = residuals.map((r) => Math.abs(r - center));
  const mad = medianOf(deviations);
  let scale: number;
  let scaleMethod: 'mad' | 'mean_absolute_deviation' | 'none';
  if (mad > 0) {
    scale = 1.482602218505602 * mad;
    scaleMethod = 'mad';
  } else {
    const meanAbs = deviations.reduce((a, b) => a + b, 0) / n;
    scale = 1.2533141373155 * meanAbs;
    scaleMethod = meanAbs > 0 ? 'mean_absolute_deviation' : 'none';
  }
  const threshold = anomalyThreshold(sensitivity);
  const found: Array<{ index: number; value: number; expected: number; robust_z: number; direction: 'high' | 'low' }> = [];
  if (scale > 0) {
    for (let i = 0; i < n; i++) {
      const z = ((residuals[i] as number) - center) / scale;
      if (Math.abs(z) > threshold) {
        found.push({ index: i, value: values[i] as number, expected: intercept + slope * i + center, robust_z: z, direction: z > 0 ? 'high' : 'low' });
      }
    }
  }
  const notes: string[] = [];
  if (scaleMethod === 'none') notes.push('All points lie on the baseline: there is no spread to judge anomalies by.');
  if (scaleMethod === 'mean_absolute_deviation') notes.push('MAD is 0 (over half the residuals are equal); the mean absolute deviation is used instead.');
  if (found.length > MAX_LISTED_ANOMALIES) notes.push(`Listing the ${MAX_LISTED_ANOMALIES} most extreme of ${found.length} anomalies.`);
  const listed =
    found.length > MAX_LISTED_ANOMALIES
      ? found
          .sort((a, b) => Math.abs(b.robust_z) - Math.abs(a.robust_z))
          .slice(0, MAX_LISTED_ANOMALIES)
          .sort((a, b) => a.index - b.index)
      : found;
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      "Baseline: Sen's slope line, so a steady trend is not flagged; residuals are judged against their median.",
      'Scale: 1.4826 × MAD (consistent with σ for normal data); robust to up to half the points being outliers.',
      `Threshold = 5 − 3 × sensitivity = ${threshold} robust z-units (sensitivity ${sensitivity}; 0.5 gives Iglewicz & Hoaglin's 3.5).`,
    ],
    ...(notes.length > 0 ? { notes } : {}),
    sensitivity,
    threshold,
    baseline: { slope, intercept: intercept + center },
    scale,
    scale_method: scaleMethod,
    count: found.length,
    truncated: found.length > MAX_LISTED_ANOMALIES,
    anomalies: listed,
  };
}
