import type { Clock } from '../clock.js';
import { CairnError, isCairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { retryWhileBusy } from './busy.js';
import { classifyFault, writeFaultError } from './faults.js';
import { isRead } from './libsql.js';
import type { BreakerState, Db } from './types.js';

/** Retry and circuit-breaker settings. */
export interface ResilienceOptions {
  /** Delays between tries after a network failure, ms. Default 100, 400, 1600 (three retries after the first try). */
  backoffMs?: number[];
  /** Consecutive network failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** How long the breaker stays open before one probe is let through, ms. Default 30 000. */
  openMs?: number;
  /**
   * How long a call waits out SQLITE_BUSY reported by a remote primary before STORE_BUSY, ms.
   * Default 5000. (An embedded database waits inside its driver and reports STORE_BUSY itself.)
   */
  busyWaitMs?: number;
  clock: Clock;
  logger: Logger;
  /** Injected so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** A write the database refused for want of write access or space, kept until a write succeeds. */
export interface WriteFault {
  code: 'STORE_READONLY' | 'STORE_FULL';
  message: string;
  /** Epoch ms (the wrapper's clock) of the refusal. */
  at: number;
}

/** A Db with a view of its breaker and of refused writes, for health checks. */
export interface ResilientDb extends Db {
  breaker(): { state: BreakerState; consecutiveFailures: number; openedAt: number | null };
  /** The last write refused as read-only or full, until a later write succeeds; null when writes work. */
  writeFault(): WriteFault | null;
}

/**
 * True for errors worth retrying: lock contention and network failures, not SQL mistakes, not a
 * read-only or full database.
 */
export function isTransient(err: unknown): boolean {
  const kind = classifyFault(err);
  return kind === 'transient' || kind === 'busy' || isCairnError(err, 'STORE_BUSY');
}

/**
 * Wraps a Db with retries and a circuit breaker, and turns storage failures into coded errors.
 * - Network failures are retried with exponential backoff; after `failureThreshold` consecutive
 *   ones every call fails fast with STORE_UNAVAILABLE for `openMs`, then a single probe decides
 *   whether to close the breaker again.
 * - A lock held by another process is not an outage: it is waited out (up to `busyWaitMs`), then
 *   answered with STORE_BUSY, and never counts toward opening the breaker.
 * - SQLITE_READONLY and SQLITE_FULL become STORE_READONLY and STORE_FULL with what to do, are not
 *   retried, and are remembered for health checks until a write succeeds.
 * Interactive transactions are retried as a whole (their function must be safe to re-run, which a
 * rolled-back one is).
 */
export function withResilience(db: Db, opts: ResilienceOptions): ResilientDb {
  const backoff = opts.backoffMs ?? [100, 400, 1600];
  const threshold = opts.failureThreshold ?? 5;
  const openMs = opts.openMs ?? 30_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const busyWaitMs = opts.busyWaitMs ?? 5000;
  const now = () => opts.clock.now();
  let fault: WriteFault | null = null;
  let failures = 0;
  let openedAt: number | null = null;
  let probing = false;

  const state = (): BreakerState => {
    if (openedAt === null) return 'closed';
    return opts.clock.now() - openedAt >= openMs ? 'half-open' : 'open';
  };

  /** `wrote` says whether a successful call wrote something, which clears a remembered fault. */
  async function guarded<T>(op: () => Promise<T>, wrote: (out: T) => boolean): Promise<T> {
    const s = state();
    if (s === 'open' || (s === 'half-open' && probing)) {
      throw new CairnError(
        'STORE_UNAVAILABLE',
        'primary store unavailable (circuit open after repeated failures); nothing was written — retry in a few seconds',
        {
          details: { retry_after_ms: Math.max(0, openMs - (opts.clock.now() - (openedAt ?? 0))) },
        },
      );
    }
    const isProbe = s === 'half-open';
    if (isProbe) probing = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const startedAt = now();
          const out = await retryWhileBusy(op, { startedAt, deadline: startedAt + busyWaitMs, now, sleep });
          failures = 0;
          openedAt = null;
          if (fault && wrote(out)) fault = null;
          return out;
        } catch (err) {
          const kind = classifyFault(err);
          if (kind === 'readonly' || kind === 'full') {
            const mapped = writeFaultError(kind, db.url, err);
            if (fault?.code !== mapped.code) opts.logger.warn('primary store refused a write', { code: mapped.code, message: mapped.message });
            fault = { code: mapped.code as WriteFault['code'], message: mapped.message, at: now() };
            throw mapped;
          }
          const transient = kind === 'transient';
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
    execute: (sql, args) =>
      guarded(
        () => db.execute(sql, args),
        (rs) => !isRead(sql) && rs.rowsAffected > 0,
      ),
    batch: (stmts, mode) =>
      guarded(
        () => db.batch(stmts, mode),
        () => mode !== 'read',
      ),
    transaction: (fn) =>
      guarded(
        () => db.transaction(fn),
        () => true,
      ),
    ...(db.lockWaitMs ? { lockWaitMs: () => db.lockWaitMs!() } : {}),
    close: () => db.close(),
    breaker: () => ({ state: state(), consecutiveFailures: failures, openedAt }),
    writeFault: () => fault,
  };
}
