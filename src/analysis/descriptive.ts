import { mean, medianAbsoluteDeviation, sampleKurtosis, sampleSkewness, sampleVariance } from 'simple-statistics';
import { quantileSorted } from './order-stats.js';
import { finiteOrNull, insufficient } from './result.js';
import type { Descriptive } from './types.js';

const METHOD = 'descriptive statistics';

/**
 * Descriptive statistics of one series (n ≥ 3): mean, median, sample variance and standard
 * deviation (n − 1), min/max, type-7 quartiles, median absolute deviation, sample skewness
 * (n ≥ 3) and sample excess kurtosis (n ≥ 4) from simple-statistics, coefficient of variation.
 * Values that are undefined for the data (e.g. skewness of a constant series) are `null` with a note.
 */
export function describe(values: readonly number[]): Descriptive {
  const n = values.length;
  if (n < 3) return insufficient(METHOD, n, 3);
  const sorted = Float64Array.from(values).sort();
  const m = mean(values);
  const variance = sampleVariance(values);
  const sd = Math.sqrt(variance);
  const notes: string[] = [];
  let skewness: number | null = null;
  let kurtosis: number | null = null;
  if (sd === 0) notes.push('The series is constant: skewness, kurtosis are undefined.');
  else {
    skewness = finiteOrNull(sampleSkewness(values));
    if (n >= 4) kurtosis = finiteOrNull(sampleKurtosis(values));
    else notes.push('Excess kurtosis needs at least 4 points.');
  }
  const cv = m === 0 ? null : finiteOrNull(sd / Math.abs(m));
  if (cv === null) notes.push('Coefficient of variation is undefined when the mean is 0.');
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  return {
    insufficient_data: false,
    method: METHOD,
    n,
    assumptions: [
      'Sample variance and standard deviation use n − 1.',
      'Quartiles: linear interpolation between order statistics (Hyndman–Fan type 7, as R and NumPy).',
      'Skewness is the adjusted Fisher–Pearson sample skewness; kurtosis is sample excess kurtosis.',
    ],
    ...(notes.length > 0 ? { notes } : {}),
    mean: m,
    median: quantileSorted(sorted, 0.5),
    std_dev: sd,
    variance,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    q1,
    q3,
    iqr: q3 - q1,
    mad: medianAbsoluteDeviation(values),
    skewness,
    excess_kurtosis: kurtosis,
    coefficient_of_variation: cv,
  };
}
