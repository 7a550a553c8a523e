/**
 * Seeded pseudo-random numbers (mulberry32), so bootstrap intervals, simulations, test data and
 * benchmark corpora are the same on every run. Not for anything security-related.
 */

/**
 * mulberry32: a tiny 32-bit generator. The same seed always gives the same sequence.
 * @param seed Taken modulo 2^32 (as an unsigned 32-bit integer).
 * @returns A function returning uniforms in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with the draws Cairn needs. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, one draw per two uniforms). */
  normal(): number;
}

/** Creates a {@link Prng} over {@link mulberry32} from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      // 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
