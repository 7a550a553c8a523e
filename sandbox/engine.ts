import releaseSync from '@jitl/quickjs-wasmfile-release-sync';
import {
  type CustomizeVariantOptions,
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { runOnModule } from './run-once.js';
import type { RunResult, WorkerJob } from './types.js';

/** Runs jobs one at a time on a QuickJS WASM module, and replaces the module when it must. */
export interface Engine {
  /** Runs a job on a fresh runtime and context; never rejects. */
  run(job: WorkerJob): Promise<RunResult>;
  /** Why the module should be replaced before the next run, or undefined when it is healthy. */
  recycleReason(): string | undefined;
  /** Drops the current module; the next run loads a fresh one. */
  recycle(): void;
}

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Drop the module after a run that grew its WASM heap beyond this many bytes. Default 128 MiB. */
  recycleHeapBytes?: number;
  /** Where emscripten's own messages (e.g. an abort) go. Default: dropped. */
  log?: (line: string) => void;
}

/** The module's initial WASM memory (its static data, C stack and first heap pages): 16 MiB, the build's minimum. */
const BASE_MEMORY_BYTES = 16 * 1024 * 1024;
/** Heap left free inside the base memory once a runtime and context exist (measured: 10.75 MiB). */
const BASE_HEAP_BYTES = 10 * 1024 * 1024;
const PAGE_BYTES = 64 * 1024;

/** WASM memory maximum for a run limited to `memoryBytes` of heap (never below the base). */
export function memoryCapBytes(memoryBytes: number): number {
  return BASE_MEMORY_BYTES + Math.max(0, memoryBytes - BASE_HEAP_BYTES);
}

// The variant package's types describe its CommonJS build (the variant under `default`); an ES
// import gets the variant itself. Only this build is installed: the others are not dependencies.
const RELEASE_SYNC = ((releaseSync as { default?: QuickJSSyncVariant }).default ?? releaseSync) as QuickJSSyncVariant;

// The project's `lib` has no WebAssembly typings; Node has the global.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => unknown } }).WebAssembly;

/**
 * Creates an engine on the sync release build of quickjs-emscripten.
 *
 * Two upstream defects shape it:
 * - QuickJS's own memory limit is unreliable in this build (its accounting lacks
 *   `malloc_usable_size`, so it counts a few bytes per allocation, whatever its size; it still
 *   refuses any single allocation above the limit). Each module therefore gets a
 *   `WebAssembly.Memory` whose maximum leaves the run about its limit of heap (never less than
 *   the ~10 MiB free in the 16 MiB base): growing past it fails inside malloc and QuickJS throws
 *   "out of memory". A run with a different memory cap loads a module of its own size (~5 ms).
 * - justjake/quickjs-emscripten#257: disposing a runtime after an out-of-memory can abort the
 *   module, and an aborted module reports later disposes as clean while leaking. Any failed
 *   dispose, or any host-side exception from the interpreter, retires the module.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const recycleHeapBytes = options.recycleHeapBytes ?? 128 * 1024 * 1024;
  const log = options.log ?? (() => undefined);
  let current: { module: QuickJSWASMModule; capBytes: number } | undefined;
  let broken: string | undefined;

  const load = async (capBytes: number): Promise<QuickJSWASMModule> => {
    const memory = new Memory({ initial: BASE_MEMORY_BYTES / PAGE_BYTES, maximum: Math.ceil(capBytes / PAGE_BYTES) });
    // Emscripten's print/printErr default to the console: keep its output away from stdout.
    const hooks: Record<string, unknown> & NonNullable<CustomizeVariantOptions['emscriptenModule']> = { print: log, printErr: log };
    const variant = newVariant(RELEASE_SYNC, { wasmMemory: memory as never, emscriptenModule: hooks });
    return newQuickJSWASMModuleFromVariant(variant);
  };

  return {
    async run(job) {
      const capBytes = memoryCapBytes(job.memoryBytes);
      if (!current || current.capBytes !== capBytes) current = { module: await load(capBytes), capBytes };
      const started = performance.now();
      const outcome = runOnModule(current.module, job, capBytes);
      if (outcome.broken) broken = outcome.broken;
      return { ...outcome.result, execution_time_ms: Math.round((performance.now() - started) * 100) / 100 };
    },
    recycleReason() {
      if (broken) return broken;
      const heap = current?.module.getWasmMemory().buffer.byteLength ?? 0;
      return heap > recycleHeapBytes ? `WASM heap grew to ${heap} bytes` : undefined;
    },
    recycle() {
      current = undefined;
      broken = undefined;
    },
  };
}
