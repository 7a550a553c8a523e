import type { Clock } from '../clock.js';

/** Which budget a request draws on. */
export type RateClass = 'read' | 'write';

/** Outcome of taking from a budget. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

/** Per-key token buckets, one for reads and one for writes. */
export interface RateLimiter {
  /** Takes `n` from `key`'s `cls` budget, or says how long to wait (nothing is taken then). */
  take(key: string, cls: RateClass, n?: number): RateDecision;
}

/** Rates per second; 0 means unlimited. Bursts default to 1.5× the rate. */
export interface RateLimits {
  reads: number;
  writes: number;
  readBurst?: number;
  writeBurst?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token-bucket rate limiter (reads and writes apart; by default 100/s with a burst of 150 and
 * 20/s with a burst of 30). Buckets refill continuously from the injected clock; buckets that have refilled
 * completely are dropped so memory stays bounded by the keys active in the last few seconds.
 */
export function createRateLimiter(limits: RateLimits, clock: Clock): RateLimiter {
  const spec = {
    read: { rate: limits.reads, burst: limits.readBurst ?? Math.max(1, Math.ceil(limits.reads * 1.5)) },
    write: { rate: limits.writes, burst: limits.writeBurst ?? Math.max(1, Math.ceil(limits.writes * 1.5)) },
  };
  const buckets = new Map<string, Bucket>();
  let lastPrune = clock.now();

  const prune = (now: number) => {
    if (now - lastPrune < 60_000) return;
    lastPrune = now;
    for (const [k, b] of buckets) {
      const cls = k.endsWith(':write') ? spec.write : spec.read;
      if (b.tokens + ((now - b.at) / 1000) * cls.rate >= cls.burst) buckets.delete(k);
    }
  };

  return {
    take(key, cls, n = 1) {
      const { rate, burst } = spec[cls];
      if (rate <= 0) return { ok: true };
      const now = clock.now();
      prune(now);
      const id = `${key}:${cls}`;
      const b = buckets.get(id) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * rate);
      b.at = now;
      buckets.set(id, b);
      if (b.tokens >= n) {
        b.tokens -= n;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((n - b.tokens) / rate)) };
    },
  };
}
