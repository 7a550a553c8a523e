import type { ProgressFn } from '../progress.js';

/** The parts of the SDK's request context that progress needs. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number; [key: string]: unknown };
  signal: AbortSignal;
  sendNotification(notification: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }): Promise<void>;
}

/** Reports closer together than this are dropped (the next one carries the news). */
export const MIN_PROGRESS_INTERVAL_MS = 200;

/**
 * A reporter that sends `notifications/progress` for one request, or undefined when the client
 * asked for none (no `progressToken` in `_meta`). It keeps the protocol's rules: progress strictly
 * increases, nothing is sent after the request was cancelled or answered (`done()`), and reports
 * are at most one per `MIN_PROGRESS_INTERVAL_MS`.
 */
export function progressFor(extra: ProgressExtra, now: () => number = () => performance.now()): { report: ProgressFn; done(): void } | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let last = -Infinity;
  let sentAt = -Infinity;
  let finished = false;
  return {
    report(done, total, message) {
      if (finished || extra.signal.aborted || !(done > last)) return;
      const t = now();
      if (t - sentAt < MIN_PROGRESS_INTERVAL_MS) return;
      last = done;
      sentAt = t;
      const params = { progressToken: token, progress: done, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) };
      void extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
    },
    done() {
      finished = true;
    },
  };
}
