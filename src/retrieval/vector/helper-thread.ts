import { Worker } from 'node:worker_threads';

/**
 * A second thread for the vector kernel. Scoring 100k rows reads ~40 MB and is bound by memory
 * bandwidth, which this machine class gives per core: two threads over halves of the rows finish
 * in well under half the time (1.7 vs 5.8 ms measured on 2 vCPUs). Below `PARALLEL_MIN_ROWS`
 * the rows sit in cache and the hand-off costs more than it saves.
 *
 * One worker per process (started at the first large scan, never keeping the process alive)
 * serves every kernel. A kernel's memory is shared with it once; each scan then hands over the
 * second half of the rows through a small shared control block (`Atomics`), scores the first
 * half itself and waits for the other. When anything is amiss (no shared memory, the worker
 * could not start or failed, a scan it has not taken up within `STALL_MS`) the kernel scores
 * every row itself. Either side takes a half by compare-and-swap, so a late helper never writes
 * over a later scan.
 */

/** Rows from which a scan is split across two threads. */
export const PARALLEL_MIN_ROWS = 16_384;

/** How long a scan waits for the helper to take up its half before scoring it itself and no longer asking. */
const STALL_MS = 10_000;

// Slots of a kernel's control block (Int32).
const SEQ = 0;
const DONE = 1;
const CODES = 2;
const QUERY = 3;
const OUT = 4;
const ROWS = 5;
const STRIDE = 6;
const READY = 7;
const STOP = 8;
const FAILED = 9;
const CLAIM = 10;
const SLOTS = 11;

// The worker: one asynchronous wait per kernel, so its event loop stays free for new kernels.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ module, memory, ctrl }) => {
  let dots;
  try {
    if (typeof Atomics.waitAsync !== 'function') throw new Error('no Atomics.waitAsync');
    dots = new WebAssembly.Instance(module, { env: { memory } }).exports.dots;
  } catch {
    Atomics.store(ctrl, ${FAILED}, 1);
    return;
  }
  Atomics.store(ctrl, ${READY}, 1);
  let seen = 0;
  (async () => {
    for (;;) {
      const wait = Atomics.waitAsync(ctrl, ${SEQ}, seen);
      if (wait.async) await wait.value;
      seen = Atomics.load(ctrl, ${SEQ});
      if (Atomics.load(ctrl, ${STOP}) === 1) return;
      // The kernel took this half back after waiting too long.
      if (Atomics.compareExchange(ctrl, ${CLAIM}, seen - 1, seen) !== seen - 1) continue;
      try {
        dots(ctrl[${CODES}], ctrl[${QUERY}], ctrl[${OUT}], ctrl[${ROWS}], ctrl[${STRIDE}]);
      } catch {
        Atomics.store(ctrl, ${FAILED}, 1);
      }
      Atomics.store(ctrl, ${DONE}, seen);
      Atomics.notify(ctrl, ${DONE});
    }
  })();
});
`;

/** `out[r] = codes[r] · query` for rows [0, n), as the kernel's export does. */
export type DotsFn = (codesPtr: number, queryPtr: number, outPtr: number, n: number, stride: number) => void;

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
type WasmModule = object;
type WasmMemory = object;

let helper: Worker | null | undefined;

/** The process's helper worker, started on first use; null when it cannot run. */
function helperWorker(): Worker | null {
  if (helper !== undefined) return helper;
  try {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const gone = () => {
      if (helper === worker) helper = null;
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    helper = worker;
  } catch {
    helper = null;
  }
  return helper;
}

// When a kernel is dropped, its helper stops waiting on it and lets its memory go.
const released = new FinalizationRegistry<Int32Array>((ctrl) => {
  Atomics.store(ctrl, STOP, 1);
  Atomics.add(ctrl, SEQ, 1);
  Atomics.notify(ctrl, SEQ);
});

/** A kernel's `dots` that splits large scans with the helper thread. */
export interface ParallelDots {
  dots: DotsFn;
  /** Resolves true once scans of `parallelMinRows` rows or more are split, false when they never will be. */
  ready(): Promise<boolean>;
}

/**
 * Wraps `dots` of a kernel instantiated from `module` over the shared `memory`. `owner` is the
 * object whose collection releases the helper's hold on the memory.
 */
export function parallelDots(owner: object, module: WasmModule, memory: WasmMemory, dots: DotsFn, parallelMinRows = PARALLEL_MIN_ROWS): ParallelDots {
  const ctrl = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  let state: 'idle' | 'asked' | 'off' = 'idle';
  const ask = () => {
    state = 'asked';
    const worker = helperWorker();
    if (!worker) {
      state = 'off';
      return;
    }
    worker.postMessage({ module, memory, ctrl });
    released.register(owner, ctrl);
  };
  const usable = () => state === 'asked' && helper !== null && Atomics.load(ctrl, READY) === 1 && Atomics.load(ctrl, FAILED) === 0;
  return {
    dots(codesPtr, queryPtr, outPtr, n, stride) {
      if (n < parallelMinRows || state === 'off') return dots(codesPtr, queryPtr, outPtr, n, stride);
      if (state === 'idle') ask();
      if (!usable()) return dots(codesPtr, queryPtr, outPtr, n, stride);
      const mine = n >> 1;
      const seq = Atomics.load(ctrl, SEQ) + 1;
      ctrl[CODES] = codesPtr + mine * stride;
      ctrl[QUERY] = queryPtr;
      ctrl[OUT] = outPtr + mine * 4;
      ctrl[ROWS] = n - mine;
      ctrl[STRIDE] = stride;
      Atomics.store(ctrl, SEQ, seq);
      Atomics.notify(ctrl, SEQ);
      dots(codesPtr, queryPtr, outPtr, mine, stride);
      const rest = () => dots(codesPtr + mine * stride, queryPtr, outPtr + mine * 4, n - mine, stride);
      if (Atomics.wait(ctrl, DONE, seq - 1, STALL_MS) === 'timed-out' && Atomics.compareExchange(ctrl, CLAIM, seq - 1, seq) === seq - 1) {
        // The helper never took its half up: score it here, and stop asking.
        state = 'off';
        Atomics.store(ctrl, STOP, 1);
        return rest();
      }
      // The helper took it up, so it finishes it.
      while (Atomics.load(ctrl, DONE) !== seq) Atomics.wait(ctrl, DONE, seq - 1);
      if (Atomics.load(ctrl, FAILED) === 1) {
        state = 'off';
        rest();
      }
    },
    async ready() {
      if (state === 'idle') ask();
      while (state === 'asked' && helper !== null && Atomics.load(ctrl, READY) === 0 && Atomics.load(ctrl, FAILED) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return usable();
    },
  };
}
