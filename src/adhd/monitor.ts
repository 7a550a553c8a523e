import type { Clock } from '../clock.js';
import { type Logger, silentLogger } from '../logger.js';
import type { AdhdService, CheckIn } from './types.js';

/** Dependencies of the check-in monitor. */
export interface CheckInMonitorDeps {
  service: Pick<AdhdService, 'evaluateCheckIns'>;
  clock: Clock;
  /** Period between runs; default 20 min. 0 or less disables the timer (`tick` still works). */
  intervalMs?: number;
  /** The namespaces to check on each run (e.g. `service.namespaces()` or the connected sessions'). */
  listNamespaces: () => Promise<string[]> | string[];
  /** Called once per new check-in (resource update, log notification). Errors are logged, not thrown. */
  onCheckIn?: (namespace: string, checkIn: CheckIn) => void | Promise<void>;
  logger?: Logger;
}

/** A background loop that writes check-ins without any model. */
export interface CheckInMonitor {
  start(): void;
  stop(): void;
  /** Runs one evaluation at `now` (default: the clock) and returns the new check-ins by namespace. */
  tick(now?: number): Promise<Array<{ namespace: string; checkIn: CheckIn }>>;
  readonly running: boolean;
}

/** Default period: every 20 minutes, after Pattern's sleeptime monitor. */
export const DEFAULT_CHECK_IN_INTERVAL_MS = 20 * 60_000;

/**
 * Creates the monitor. The timer is `unref()`ed so it never keeps the process alive; a run that is
 * still going when the next is due is skipped rather than stacked; one namespace failing does not
 * stop the others.
 */
export function createCheckInMonitor(deps: CheckInMonitorDeps): CheckInMonitor {
  const interval = deps.intervalMs ?? DEFAULT_CHECK_IN_INTERVAL_MS;
  const logger = deps.logger ?? silentLogger;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<Array<{ namespace: string; checkIn: CheckIn }>> | null = null;

  async function run(now: number) {
    const out: Array<{ namespace: string; checkIn: CheckIn }> = [];
    let namespaces: string[];
    try {
      namespaces = await deps.listNamespaces();
    } catch (err) {
      logger.error('check-in monitor: listing namespaces failed', { error: err });
      return out;
    }
    for (const ns of namespaces) {
      try {
        for (const checkIn of await deps.service.evaluateCheckIns(ns, now)) out.push({ namespace: ns, checkIn });
      } catch (err) {
        logger.error('check-in monitor: evaluation failed', { namespace: ns, error: err });
      }
    }
    for (const { namespace, checkIn } of out) {
      try {
        await deps.onCheckIn?.(namespace, checkIn);
      } catch (err) {
        logger.warn('check-in monitor: onCheckIn failed', { namespace, id: checkIn.id, error: err });
      }
    }
    return out;
  }

  const monitor: CheckInMonitor = {
    get running() {
      return timer !== null;
    },
    start() {
      if (timer || interval <= 0) return;
      timer = setInterval(() => {
        if (inFlight) return;
        void monitor.tick();
      }, interval);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    async tick(now) {
      if (inFlight) await inFlight.catch(() => undefined);
      inFlight = run(now ?? deps.clock.now());
      try {
        return await inFlight;
      } finally {
        inFlight = null;
      }
    },
  };
  return monitor;
}
