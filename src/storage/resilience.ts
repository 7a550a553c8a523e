import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { BreakerState, Db } from './types.js';

/** Retry and circuit-breaker settings. */
export interface ResilienceOptions {
  /** Delays between tries, ms. Default 100, 400, 1600 (three retries after the first try). */
  backoffMs?: number[];
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long the breaker stays open before one probe is let through, ms. Default 30 000. */
  openMs?: number;
  clock: Clock;
  logger: Logger;
  /** Injected so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** A Db with a view of its breaker, for health checks. */
export interface ResilientDb extends Db {
  breaker(): { state: BreakerState; consecutiveFailures: number; openedAt: number | null };
}

const TRANSIENT = /SQLITE_BUSY|SQLITE_LOCKED|database is locked|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|socket hang up|HRANA_WEBSOCKET|SERVER_ERROR/i;

/** True for errors worth retrying: lock contention and network failures, not SQL mistakes. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const text = `${String(e?.code ?? '')} ${String(e?.message ?? '')} ${String((e?.cause as { code?: unknown })?.code ?? '')}`;
  return TRANSIENT.test(text);
}

/**
 * Wraps a Db with retries (exponential backoff on transient errors) and a circuit breaker: after
 * `failureThreshold` consecutive failures every call fails fast with STORE_UNAVAILABLE for
 * `openMs`, then a single probe decides whether to close it again. Interactive transactions are
 * retried as a whole (their function must be safe to re-run, which a rolled-back one is).
 */
export function withResilience(db: Db, opts: ResilienceOptions): ResilientDb {
  const backoff = opts.backoffMs ?? [100, 400, 1600];
  const threshold = opts.failureThreshold ?? 5;
  const openMs = opts.openMs ?? 30_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;

  const state = (): BreakerState => {
    if (openedAt === null) return 'closed';
    return opts.clock.now() - openedAt >= openMs ? 'half-open' : 'open';
  };

  async function guarded<T>(op: () => Promise<T>): Promise<T> {
    const s = state();
    if (s === 'open' || (s === 'half-open' && probing)) {
      throw new CairnError('STORE_UNAVAILABLE', 'primary store unavailable (circuit open after repeated failures); nothing was written — retry in a few seconds', {
        details: { retry_after_ms: Math.max(0, openMs - (opts.clock.now() - (openedAt ?? 0))) },
      });
    }
    const isProbe = s === 'half-open';
    if (isProbe) probing = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await op();
          failures = 0;
          openedAt = null;
          return out;
        } catch (err) {
          const transient = isTransient(err);
          if (!transient || attempt >= backoff.length || isProbe) {
            if (transient) {
              failures++;
              if (failures >= threshold || isProbe) {
                if (openedAt === null || isProbe) opts.logger.warn('primary store circuit opened', { failures });
                openedAt = opts.clock.now();
              }
              throw new CairnError('STORE_UNAVAILABLE', 'primary store unavailable; nothing was written', { cause: err });
            }
            throw err;
          }
          opts.logger.debug('transient primary error, retrying', { attempt: attempt + 1, err: String(err) });
          await sleep(backoff[attempt]!);
        }
      }
    } finally {
      if (isProbe) probing = false;
    }
  }

  return {
    url: db.url,
    local: db.local,
    execute: (sql, args) => guarded(() => db.execute(sql, args)),
    batch: (stmts, mode) => guarded(() => db.batch(stmts, mode)),
    transaction: (fn) => guarded(() => db.transaction(fn)),
    close: () => db.close(),
    breaker: () => ({ state: state(), consecutiveFailures: failures, openedAt }),
  };
}
