import { type Logger, silentLogger } from '../logger.js';

/**
 * Counts the memories queries return and writes the counts in batches, so ranking can learn from
 * use (decay) without a write on the query path.
 */
export interface AccessLog {
  /** Notes that `ids` were returned at `at` (in memory only). */
  record(ns: string, ids: readonly string[], at: number): void;
  /** Writes what was recorded so far. Never rejects: a failed write is logged and its counts kept. */
  flush(): Promise<void>;
  /** Starts the periodic flush (an `unref()`ed timer). */
  start(): void;
  /** Stops the timer and flushes. */
  close(): Promise<void>;
}

/** Options of {@link createAccessLog}. */
export interface AccessLogOptions {
  /** Writes one namespace's counts in one batch. */
  write(ns: string, uses: ReadonlyArray<{ id: string; count: number; at: number }>): Promise<void>;
  /** Period of the background flush, ms; 0 disables the timer. Default 60 000. */
  intervalMs?: number;
  /** Distinct memories held before a flush starts on its own. Default 5 000. */
  maxPending?: number;
  logger?: Logger;
}

/** Creates an access log. */
export function createAccessLog(o: AccessLogOptions): AccessLog {
  const logger = o.logger ?? silentLogger;
  const maxPending = o.maxPending ?? 5000;
  let pending = new Map<string, Map<string, { count: number; at: number }>>();
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const put = (ns: string, id: string, count: number, at: number) => {
    let m = pending.get(ns);
    if (!m) {
      m = new Map();
      pending.set(ns, m);
    }
    const u = m.get(id);
    if (u) {
      u.count += count;
      u.at = Math.max(u.at, at);
    } else {
      m.set(id, { count, at });
      size++;
    }
  };

  async function write(): Promise<void> {
    const batch = pending;
    pending = new Map();
    size = 0;
    for (const [ns, uses] of batch) {
      try {
        await o.write(
          ns,
          [...uses].map(([id, u]) => ({ id, ...u })),
        );
      } catch (err) {
        logger.warn('access counts not written; kept for the next flush', { ns, err: String(err) });
        for (const [id, u] of uses) put(ns, id, u.count, u.at);
      }
    }
  }

  const log: AccessLog = {
    record(ns, ids, at) {
      for (const id of ids) put(ns, id, 1, at);
      if (size >= maxPending) void log.flush();
    },
    flush() {
      running = running.then(write);
      return running;
    },
    start() {
      if (timer || !(o.intervalMs ?? 60_000)) return;
      timer = setInterval(() => void log.flush(), o.intervalMs ?? 60_000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await log.flush();
    },
  };
  return log;
}
