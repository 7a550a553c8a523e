import { type DotsFn, parallelDots } from './helper-thread.js';
import { body, I32, name, op, section, uleb, V128 } from './wasm-asm.js';

/**
 * A WebAssembly SIMD kernel for int8 × int16 dot products of many rows with one query.
 *
 * A plain JavaScript loop needs ~35 ms to score 100k × 384 float rows; this kernel scores int8
 * codes of the same rows in 3–8 ms depending on the machine's memory bandwidth (it is
 * memory-bound: unrolling further did not help), and in well under half that when a helper
 * thread takes half the rows (helper-thread.ts). The vector index then corrects to exact
 * scores. The module is assembled here from its instructions (no binary blob, no build step).
 */

/** The part of a WebAssembly linear memory the index uses. */
export interface KernelMemory {
  /** Shared between threads where the platform allows it. */
  readonly buffer: ArrayBufferLike;
  /** Grows by `pages` of 64 KiB; views over the old buffer become detached (shared: keep their old length). */
  grow(pages: number): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => KernelMemory;
}

/** Largest kernel memory: 4 GiB, the most a 32-bit WebAssembly memory can address. Reserved, not used, up front. */
const MAX_PAGES = 65_536;

/** The instantiated kernel over its own linear memory. */
export interface DotKernel {
  readonly memory: KernelMemory;
  /**
   * For r in [0, n): `out[r] = Σ_j codes[r·stride + j] · query[j]` (int32), where `codes` are
   * int8 at byte offset `codesPtr`, `query` int16 at `queryPtr`, `out` int32 at `outPtr`.
   * `stride` (bytes per row) must be a positive multiple of 32 and `n` ≥ 1.
   */
  dots(codesPtr: number, queryPtr: number, outPtr: number, n: number, stride: number): void;
  /** Resolves true once large scans are split with a helper thread (see helper-thread.ts), false when they never will be. */
  parallel(): Promise<boolean>;
}

/** One row at a time, 32 bytes per step, two accumulators. */
function denseDots(): number[] {
  const [CODES, QUERY, OUT, N, STRIDE, R, J, ROW, QP, ACC, CHUNK] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11];
  const code: number[][] = [op.get(CODES), op.set(ROW), op.loop];
  code.push(op.zero128, op.tee(ACC), op.set(ACC + 1), op.i32(0), op.set(J), op.get(QUERY), op.set(QP), op.loop);
  for (let u = 0; u < 2; u++) {
    code.push(op.get(ROW), op.get(J), op.add, op.load128(16 * u), op.set(CHUNK));
    code.push(op.get(ACC), op.get(CHUNK), op.extendLo, op.get(QP), op.load128(32 * u), op.dot, op.add32x4, op.set(ACC));
    code.push(op.get(ACC + 1), op.get(CHUNK), op.extendHi, op.get(QP), op.load128(32 * u + 16), op.dot, op.add32x4);
    code.push(op.set(ACC + 1));
  }
  code.push(op.get(QP), op.i32(64), op.add, op.set(QP));
  code.push(op.get(J), op.i32(32), op.add, op.tee(J), op.get(STRIDE), op.ltU, op.brIf(0), op.end);
  code.push(op.get(OUT), op.get(R), op.i32(2), op.shl, op.add);
  code.push(op.get(ACC), op.get(ACC + 1), op.add32x4, op.tee(ACC), op.lane(0));
  code.push(op.get(ACC), op.lane(1), op.add, op.get(ACC), op.lane(2), op.add, op.get(ACC), op.lane(3), op.add, op.store32);
  code.push(op.get(ROW), op.get(STRIDE), op.add, op.set(ROW));
  code.push(op.get(R), op.i32(1), op.add, op.tee(R), op.get(N), op.ltU, op.brIf(0), op.end);
  return body(
    [
      [4, I32],
      [3, V128],
    ],
    code,
  );
}

/**
 * Assembles the module's bytes. Its memory is imported (`env.memory`, 1 page to `MAX_PAGES`),
 * shared between threads when `shared`.
 */
export function kernelBytes(shared = false): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, shared ? 0x03 : 0x01, ...uleb(1), ...uleb(MAX_PAGES)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('dots'), 0x00, 0]),
    ...section(10, [1, ...denseDots()]),
  ]);
}

/**
 * Instantiates a fresh kernel, or returns null where WebAssembly SIMD is unavailable. Its memory
 * is shared (so a helper thread can score half of a large scan) where the platform allows it.
 * Scans of `parallelMinRows` rows or more are split (default `PARALLEL_MIN_ROWS`).
 */
export function createDotKernel(parallelMinRows?: number): DotKernel | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  for (const shared of [true, false]) {
    const bytes = kernelBytes(shared);
    if (!wasm.validate(bytes)) continue;
    let memory: KernelMemory;
    try {
      memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared });
    } catch {
      continue;
    }
    const module = new wasm.Module(bytes);
    const dots = new wasm.Instance(module, { env: { memory } }).exports.dots as DotsFn;
    if (!shared) return { memory, dots, parallel: async () => false };
    const kernel = { memory } as DotKernel;
    const split = parallelDots(kernel, module, memory, dots, parallelMinRows);
    return Object.assign(kernel, { dots: split.dots, parallel: split.ready });
  }
  return null;
}
