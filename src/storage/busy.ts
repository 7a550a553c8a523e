import { busyError, classifyFault } from './faults.js';

/** Pauses between attempts while another process holds a lock, ms; the last one repeats. */
export const BUSY_BACKOFF_MS: readonly number[] = [5, 10, 20, 40, 80, 100];

/** How long to keep trying, and how to tell time. */
export interface BusyWait {
  /** When the caller asked (epoch or monotonic ms, as `now` returns). */
  startedAt: number;
  /** Give up after this instant (same clock as `now`). */
  deadline: number;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called before each pause, e.g. to show the wait in health reports. */
  onBusy?(): void;
}

/**
 * Runs `op`, and while it fails because another connection holds a lock (SQLITE_BUSY), waits and
 * tries again — asynchronously, so the event loop keeps serving other calls — until `deadline`,
 * then throws STORE_BUSY. Any other error is thrown at once. `op` must be safe to repeat: a
 * statement or transaction refused with SQLITE_BUSY has written nothing.
 */
export async function retryWhileBusy<T>(op: () => Promise<T>, wait: BusyWait): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (classifyFault(err) !== 'busy') throw err;
      const left = wait.deadline - wait.now();
      if (left <= 0) throw busyError(wait.now() - wait.startedAt, err);
      wait.onBusy?.();
      await wait.sleep(Math.min(left, BUSY_BACKOFF_MS[Math.min(attempt, BUSY_BACKOFF_MS.length - 1)]!));
    }
  }
}
