/** Seeded pseudo-random numbers for the analysis tests (no Math.random: results must repeat). */
import { mulberry32 } from '../../src/prng.js';

/** Standard normal draws by Box–Muller from a seeded uniform source. */
export function normalRng(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u1 = u();
    while (u1 === 0) u1 = u();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** n draws of N(mean, sd²). */
export function normalSeries(seed: number, n: number, mean = 0, sd = 1): number[] {
  const z = normalRng(seed);
  return Array.from({ length: n }, () => mean + sd * z());
}
