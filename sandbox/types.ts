import type { Logger } from '../src/logger.js';

/** How a run ended. `timeout` and `memory_limit` are limits the script hit; `error` is anything it threw. */
export type RunStatus = 'success' | 'error' | 'timeout' | 'memory_limit';

/** Per-run limits a caller may ask for, within the sandbox's caps. */
export interface RunLimits {
  /** Wall-clock deadline of the run inside the interpreter, in ms. Default 5,000; cap 30,000. */
  timeout_ms: number;
  /** Heap limit of the interpreter, in MiB. Default 64; cap 256. */
  memory_mb: number;
}

/** What the script sees as the global `context` (a deep copy of this JSON). */
export interface RunContext {
  /** What the agent is trying to do, in words. */
  task: string;
  /** Any JSON value, e.g. results of `query_memory`. Default `null`. */
  input?: unknown;
}

/** One request to run agent code. */
export interface RunRequest {
  /** JavaScript source (a script, not a module): its completion value is the result. ≤ 100 KB. */
  code: string;
  context: RunContext;
  limits?: Partial<RunLimits>;
}

/** The outcome of a run, exactly what `execute_agent_code` returns. */
export interface RunResult {
  status: RunStatus;
  /** The completion value (or the resolved value of a returned promise) as JSON; absent when `undefined` or on failure. */
  result?: unknown;
  /** Everything the script wrote with `console.*`, one line per call, ≤ 1 MB (then truncated with a marker). */
  stdout: string;
  /** Set when status is not `success`. */
  error?: { name: string; message: string };
  /** Time spent running the script (not waiting in the queue), in ms. */
  execution_time_ms: number;
}

/** Counters for health and metrics. */
export interface SandboxStats {
  /** Worker threads alive now. */
  workers: number;
  /** Workers running a script now. */
  busy: number;
  /** Runs waiting for a worker. */
  queued: number;
  /** Runs finished since start, whatever their status. */
  runs: number;
  /** QuickJS modules replaced inside workers after a failed dispose (upstream #257), a host-side failure or a grown heap. */
  recycled: number;
  /** Workers terminated by the watchdog, by a cancelled run or because they crashed. */
  terminated: number;
}

/** Runs untrusted JavaScript in QuickJS inside a pool of worker threads. */
export interface Sandbox {
  /**
   * Runs one script. Resolves with a RunResult for anything the script does (including timeouts and
   * out-of-memory). Rejects with `CairnError`: `INVALID_INPUT` (code too large, limits out of
   * range, context not JSON), `SANDBOX_BUSY` (queue full), `SANDBOX_ERROR` (sandbox closed), or
   * the signal's reason when `signal` aborts (a running script's worker is then replaced).
   */
  run(req: RunRequest, signal?: AbortSignal): Promise<RunResult>;
  stats(): SandboxStats;
  /** Rejects queued runs, terminates the workers. Idempotent. */
  close(): Promise<void>;
}

/** Options of `createSandbox`. */
export interface SandboxOptions {
  /** Worker threads (started lazily, as load needs them). Default `os.availableParallelism()`. */
  poolSize?: number;
  /** Runs that may wait for a worker before `run` fails with SANDBOX_BUSY. Default 32. */
  maxQueue?: number;
  /** Limits of a request that gives none. Default `{timeout_ms: 5000, memory_mb: 64}`. */
  defaultLimits?: Partial<RunLimits>;
  /** Highest limits a request may ask for. Default `{timeout_ms: 30000, memory_mb: 256}`. */
  maxLimits?: Partial<RunLimits>;
  /** How long past its deadline a worker may stay busy before the watchdog terminates it. Default 2,000 ms. */
  graceMs?: number;
  /** A worker replaces its QuickJS module when the module's WASM heap grew beyond this. Default 128 MiB. */
  recycleHeapMb?: number;
  /** Default a silent logger. */
  logger?: Logger;
  /**
   * Worker script. Default the compiled `sandbox/worker.js` (see `resolveWorkerUrl`). Tests and
   * embedders may pass another script that speaks the same protocol (`ToWorker`/`FromWorker`).
   */
  workerUrl?: URL;
}

/** One run as sent to a worker: limits resolved to bytes and ms. */
export interface WorkerJob {
  id: number;
  code: string;
  /** `JSON.stringify(context)`, parsed again inside QuickJS so the script gets its own copy. */
  contextJson: string;
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
  maxStdoutBytes: number;
  maxResultBytes: number;
}

/** Messages from the pool to a worker. */
export type ToWorker = { type: 'run'; job: WorkerJob };

/** Messages from a worker to the pool. A worker sends `ready` once at start and after each run. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'recycled'; reason: string }
  | { type: 'log'; line: string };
