import { median, medianAbsoluteDeviation, quantileSorted } from 'simple-statistics';
import { createPrng } from '../prng.js';

/** MAD → standard deviation under normality. */
const MAD_TO_SD = 1.482602218505602;

/**
 * Huber M-estimate of location: behaves like the mean near the centre and like the median in the
 * tails, so one forgotten timer (a 10× outlier) cannot drag the estimate. Iteratively reweighted
 * from the median with the MAD as a fixed scale; when the MAD is 0 (most values identical) the
 * median is returned.
 *
 * @param k tuning constant in scale units (default 1.345: 95% efficiency under normality)
 */
export function huberLocation(xs: readonly number[], k = 1.345, maxIter = 50): number {
  if (xs.length === 0) throw new RangeError('huberLocation needs at least one value');
  const m0 = median(xs as number[]);
  const scale = medianAbsoluteDeviation(xs as number[]) * MAD_TO_SD;
  if (!(scale > 0)) return m0;
  let mu = m0;
  for (let iter = 0; iter < maxIter; iter++) {
    let num = 0;
    let den = 0;
    for (const x of xs) {
      const r = Math.abs(x - mu) / scale;
      const w = r <= k ? 1 : k / r;
      num += w * x;
      den += w;
    }
    const next = num / den;
    if (Math.abs(next - mu) < 1e-9 * scale) return next;
    mu = next;
  }
  return mu;
}

/** Options for {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Resamples (default 400). */
  resamples?: number;
  /** Two-sided coverage (default 0.9). */
  confidence?: number;
  /** PRNG seed (default 7), fixed so the same data always gives the same interval. */
  seed?: number;
}

/** Percentile bootstrap interval of `estimator` over `xs`, deterministic for a given seed. */
export function bootstrapInterval(xs: readonly number[], estimator: (sample: number[]) => number, opts: BootstrapOptions = {}): { low: number; high: number } {
  const resamples = opts.resamples ?? 400;
  const confidence = opts.confidence ?? 0.9;
  const rng = createPrng(opts.seed ?? 7);
  const stats: number[] = [];
  const buf = new Array<number>(xs.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < xs.length; i++) buf[i] = xs[rng.int(xs.length)]!;
    stats.push(estimator(buf));
  }
  stats.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(stats, tail), high: quantileSorted(stats, 1 - tail) };
}
