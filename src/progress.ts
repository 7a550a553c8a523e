/**
 * Progress of long work, one shape for every reporter: the CLI draws it on stderr
 * (`commands/progress.ts`), an MCP session sends it as `notifications/progress`
 * (`server/progress.ts`). `done` only grows; `total` is given once known; `message` says what is
 * happening in words.
 */
export type ProgressFn = (done: number, total?: number, message?: string) => void;

/** How a heartbeat reports. */
export interface HeartbeatOptions {
  /** First report after this long, then one per period. Default 1000 ms: quick work reports nothing. */
  everyMs?: number;
  /** The most the work may take, ms (a deadline), reported as the total. */
  totalMs?: number;
  /** Words for a report after `elapsedMs`. */
  message: (elapsedMs: number) => string;
  /** Injected for tests. Default performance.now. */
  now?: () => number;
}

/**
 * Waits for `work`, reporting elapsed milliseconds to `progress` once per period while it runs:
 * for work whose inside cannot be observed (a sandboxed script, the client's model answering a
 * sampling request). Without a reporter it just waits.
 */
export async function withHeartbeat<T>(progress: ProgressFn | undefined, work: Promise<T>, options: HeartbeatOptions): Promise<T> {
  if (!progress) return work;
  const every = options.everyMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const timer = setInterval(() => {
    const elapsed = Math.round(now() - t0);
    progress(options.totalMs === undefined ? elapsed : Math.min(elapsed, options.totalMs), options.totalMs, options.message(elapsed));
  }, every);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
