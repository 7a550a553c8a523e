import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CairnError } from '../src/errors.js';
import { silentLogger } from '../src/logger.js';
import { MAX_RESULT_BYTES, MAX_STDOUT_BYTES, resolveLimitOptions, resolveRun, STACK_BYTES } from './limits.js';
import type { FromWorker, RunRequest, RunResult, Sandbox, SandboxOptions, SandboxStats, ToWorker, WorkerJob } from './types.js';
import type { WorkerSettings } from './worker.js';
import { resolveWorkerUrl } from './worker-url.js';

const MIB = 1024 * 1024;
/** A worker that dies this many times in a row before it is ready means the sandbox cannot start. */
const MAX_START_FAILURES = 3;

/** A run waiting for, or running on, a worker. */
interface Pending {
  job: WorkerJob;
  resolve(result: RunResult): void;
  reject(err: unknown): void;
  /** Removes the abort listener; set once the run is queued. */
  release(): void;
  settled: boolean;
}

/** One worker thread and what it is doing. */
interface Slot {
  worker: Worker;
  ready: boolean;
  /** Set once the pool has given up on this worker (watchdog, abort, close): later messages are ignored. */
  retired: boolean;
  current?: { run: Pending; startedAt: number; watchdog: NodeJS.Timeout };
}

/**
 * Creates the sandbox: a lazily started pool of worker threads, each running QuickJS, with a
 * bounded queue and a watchdog. At most `poolSize` scripts run at once and `maxQueue` wait; the
 * next run fails fast with `SANDBOX_BUSY`. A worker still busy `graceMs` after its run's deadline
 * is terminated (the run reports `timeout`) and replaced. Throws `CONFIG_INVALID` for bad options
 * and `SANDBOX_ERROR` when the compiled worker script is missing.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const poolSize = options.poolSize ?? availableParallelism();
  const maxQueue = options.maxQueue ?? 32;
  const graceMs = options.graceMs ?? 2_000;
  const recycleHeapMb = options.recycleHeapMb ?? 128;
  checkInteger('poolSize', poolSize, 1, 256);
  checkInteger('maxQueue', maxQueue, 0, 100_000);
  checkInteger('graceMs', graceMs, 0, 600_000);
  checkInteger('recycleHeapMb', recycleHeapMb, 16, 4096);
  const { defaults, max } = resolveLimitOptions(options.defaultLimits, options.maxLimits);
  const logger = options.logger ?? silentLogger;
  const workerUrl = options.workerUrl ?? resolveWorkerUrl();
  const settings: WorkerSettings = { recycleHeapBytes: recycleHeapMb * MIB };

  const slots = new Set<Slot>();
  const queue: Pending[] = [];
  const counters = { runs: 0, recycled: 0, terminated: 0 };
  let nextId = 1;
  let startFailures = 0;
  let closed = false;

  const busyCount = () => [...slots].filter((s) => s.current).length;

  function settle(run: Pending, outcome: { result: RunResult } | { error: unknown }): void {
    if (run.settled) return;
    run.settled = true;
    run.release();
    if ('result' in outcome) run.resolve(outcome.result);
    else run.reject(outcome.error);
  }

  function spawn(): void {
    const worker = new Worker(workerUrl, { workerData: settings, stdout: true, resourceLimits: { stackSizeMb: 8 } });
    const slot: Slot = { worker, ready: false, retired: false };
    slots.add(slot);
    // The worker never writes to stdout on purpose; capturing it keeps stray output off the protocol.
    worker.stdout.on('data', (chunk: Buffer) => logger.warn('sandbox worker wrote to stdout', { text: chunk.toString('utf8').slice(0, 500) }));
    worker.on('message', (msg: FromWorker) => onMessage(slot, msg));
    worker.on('messageerror', (err) => onMessageError(slot, err));
    worker.on('error', (err) => logger.error('sandbox worker failed', { err }));
    worker.on('exit', (code) => onExit(slot, code));
  }

  function onMessage(slot: Slot, msg: FromWorker): void {
    if (slot.retired) return;
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        startFailures = 0;
        slot.worker.unref();
        dispatch();
        return;
      case 'result': {
        const current = slot.current;
        if (!current || current.run.job.id !== msg.id) return;
        clearTimeout(current.watchdog);
        slot.current = undefined;
        counters.runs++;
        settle(current.run, { result: msg.result });
        return;
      }
      case 'recycled':
        counters.recycled++;
        logger.debug('sandbox module recycled', { reason: msg.reason });
        return;
      case 'log':
        logger.debug('quickjs', { line: msg.line });
        return;
    }
  }

  /** A message that cannot be deserialised here can only be a result: fail that run, keep the worker. */
  function onMessageError(slot: Slot, err: unknown): void {
    const current = slot.current;
    if (!current || slot.retired) return;
    logger.warn('sandbox result could not be received', { err });
    clearTimeout(current.watchdog);
    slot.current = undefined;
    counters.runs++;
    settle(current.run, {
      result: {
        status: 'error',
        stdout: '',
        error: { name: 'SandboxError', message: 'the result could not be transferred out of the sandbox; return simpler data' },
        execution_time_ms: Math.round(performance.now() - current.startedAt),
      },
    });
  }

  function onExit(slot: Slot, code: number): void {
    slots.delete(slot);
    if (slot.retired) return;
    slot.retired = true;
    counters.terminated++;
    if (!slot.ready && !slot.current) startFailures++;
    logger.warn('sandbox worker exited unexpectedly', { code });
    const current = slot.current;
    if (current) {
      clearTimeout(current.watchdog);
      counters.runs++;
      settle(current.run, {
        result: {
          status: 'error',
          stdout: '',
          error: { name: 'SandboxError', message: `the sandbox worker stopped unexpectedly (exit code ${code}); it has been replaced` },
          execution_time_ms: Math.round(performance.now() - current.startedAt),
        },
      });
    }
    if (startFailures >= MAX_START_FAILURES) {
      for (const run of queue.splice(0)) {
        settle(run, {
          error: new CairnError('SANDBOX_ERROR', `sandbox workers fail to start (${startFailures} in a row, last exit code ${code}); see the server log`),
        });
      }
      return;
    }
    dispatch();
  }

  /** Retires a worker the pool gives up on; `terminate` stops it whatever the interpreter does. */
  function retire(slot: Slot): void {
    slot.retired = true;
    slots.delete(slot);
    counters.terminated++;
    if (slot.current) clearTimeout(slot.current.watchdog);
    slot.current = undefined;
    void slot.worker.terminate();
  }

  function onWatchdog(slot: Slot): void {
    const current = slot.current;
    if (!current || slot.retired) return;
    const { job } = current.run;
    logger.warn('sandbox watchdog terminated a worker', { timeout_ms: job.timeoutMs, grace_ms: graceMs });
    retire(slot);
    counters.runs++;
    settle(current.run, {
      result: {
        status: 'timeout',
        stdout: '',
        error: {
          name: 'TimeoutError',
          message: `script exceeded its ${job.timeoutMs} ms deadline and did not stop within ${graceMs} ms more; its worker was terminated and replaced`,
        },
        execution_time_ms: Math.round(performance.now() - current.startedAt),
      },
    });
    dispatch();
  }

  /** Gives queued runs to ready workers, and starts workers while runs wait and the pool has room. */
  function dispatch(): void {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (!slot.ready || slot.current || slot.retired) continue;
      const run = queue.shift()!;
      slot.ready = false;
      slot.worker.ref();
      const watchdog = setTimeout(() => onWatchdog(slot), run.job.timeoutMs + graceMs);
      slot.current = { run, startedAt: performance.now(), watchdog };
      slot.worker.postMessage({ type: 'run', job: run.job } satisfies ToWorker);
    }
    const starting = [...slots].filter((s) => !s.ready && !s.current).length;
    let wanted = Math.min(queue.length - starting, poolSize - slots.size);
    while (wanted-- > 0) spawn();
  }

  function abort(run: Pending, reason: unknown): void {
    const queued = queue.indexOf(run);
    if (queued >= 0) queue.splice(queued, 1);
    for (const slot of slots) {
      if (slot.current?.run === run) {
        retire(slot);
        counters.runs++;
        dispatch();
      }
    }
    settle(run, { error: reason });
  }

  return {
    async run(req: RunRequest, signal?: AbortSignal): Promise<RunResult> {
      if (closed) throw new CairnError('SANDBOX_ERROR', 'the sandbox is closed; no more scripts can run');
      signal?.throwIfAborted();
      const resolved = resolveRun(req, defaults, max);
      if (busyCount() + queue.length >= poolSize + maxQueue) {
        throw new CairnError(
          'SANDBOX_BUSY',
          `sandbox busy: ${busyCount()} scripts running and ${queue.length} queued (pool ${poolSize}, queue ${maxQueue}); retry in a few seconds`,
        );
      }
      const job: WorkerJob = {
        id: nextId++,
        code: resolved.code,
        contextJson: resolved.contextJson,
        timeoutMs: resolved.limits.timeout_ms,
        memoryBytes: resolved.limits.memory_mb * MIB,
        stackBytes: STACK_BYTES,
        maxStdoutBytes: MAX_STDOUT_BYTES,
        maxResultBytes: MAX_RESULT_BYTES,
      };
      return new Promise<RunResult>((resolve, reject) => {
        const run: Pending = { job, resolve, reject, release: () => undefined, settled: false };
        if (signal) {
          const onAbort = () => abort(run, signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          run.release = () => signal.removeEventListener('abort', onAbort);
        }
        queue.push(run);
        dispatch();
      });
    },

    stats(): SandboxStats {
      return { workers: slots.size, busy: busyCount(), queued: queue.length, ...counters };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const error = () => new CairnError('SANDBOX_ERROR', 'the sandbox was closed before the script finished');
      for (const run of queue.splice(0)) settle(run, { error: error() });
      const exits: Promise<number>[] = [];
      for (const slot of [...slots]) {
        const run = slot.current?.run;
        slot.retired = true;
        if (slot.current) clearTimeout(slot.current.watchdog);
        slots.delete(slot);
        exits.push(slot.worker.terminate());
        if (run) settle(run, { error: error() });
      }
      await Promise.all(exits);
    },
  };
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CairnError('CONFIG_INVALID', `sandbox option ${name} ${JSON.stringify(value)} is invalid: must be an integer from ${min} to ${max}`);
  }
}
