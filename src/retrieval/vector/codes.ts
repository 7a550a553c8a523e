import type { DotKernel } from './kernel.js';

/**
 * The int8 codes of the index rows, row-major, `stride` bytes a row: in the kernel's linear memory
 * when there is a kernel, else in a plain array. (A blocked column-major copy that reads only a
 * sparse query's non-zero columns was tried: faster alone, but no faster inside a full search at
 * 100k docs, where the scattered column reads compete with everything else for memory.)
 */
export interface Int8Codes {
  /** Bytes per row: the vector length rounded up to a multiple of 32 (the kernel's step). */
  readonly stride: number;
  /** Makes room for `capacity` rows, keeping the rows already stored. */
  reserve(capacity: number): void;
  /** The bytes of every row; `bytes[offset + row · stride + j]` is code j of `row`. Valid until `reserve`. */
  view(): { bytes: Int8Array; offset: number };
  /** Copies the codes of row `from` over row `to`. */
  move(from: number, to: number): void;
  /**
   * Integer dot products of rows [0, size) with the int16-quantised query (raw[r] · scale ≈ q · code_r),
   * or null for an all-zero query or without a kernel. `err` is ‖q − scale · q16‖. The view is
   * valid until the next call.
   */
  score(query: Float32Array, size: number): { raw: Int32Array; scale: number; err: number } | null;
}

const PAGE = 65_536;
const align = (n: number) => Math.ceil(n / 64) * 64;

/** Creates empty code storage for `dim`-d rows, over `kernel`'s memory when given. */
export function createInt8Codes(dim: number, kernel: DotKernel | null): Int8Codes {
  const stride = Math.ceil(dim / 32) * 32;
  // Largest int16 query code that keeps Σ|int8 · int16| below 2^31 for this stride.
  const queryMax = Math.min(32_767, Math.floor((2 ** 31 - 1) / (127 * stride)));
  const queryPtr = 0;
  const rowsPtr = kernel ? align(stride * 2) : 0;
  let capacity = 0;
  const outPtr = (cap: number) => rowsPtr + cap * stride;
  let bytes = kernel ? new Int8Array(kernel.memory.buffer) : new Int8Array(0);

  return {
    stride,
    reserve(next) {
      if (next <= capacity) return;
      if (kernel) {
        const need = outPtr(next) + next * 4;
        const have = kernel.memory.buffer.byteLength;
        if (need > have) kernel.memory.grow(Math.ceil((need - have) / PAGE));
        bytes = new Int8Array(kernel.memory.buffer);
      } else {
        const fresh = new Int8Array(next * stride);
        fresh.set(bytes.subarray(0, capacity * stride));
        bytes = fresh;
      }
      capacity = next;
    },
    view: () => ({ bytes, offset: rowsPtr }),
    move(from, to) {
      bytes.copyWithin(rowsPtr + to * stride, rowsPtr + from * stride, rowsPtr + from * stride + stride);
    },
    score(query, size) {
      if (!kernel) return null;
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(query[j] as number));
      if (max === 0 || size === 0) return null;
      const scale = max / queryMax;
      const memory = kernel.memory.buffer;
      const q16 = new Int16Array(memory, queryPtr, stride);
      let err = 0;
      q16.fill(0);
      for (let j = 0; j < dim; j++) {
        const c = Math.round((query[j] as number) / scale);
        q16[j] = c;
        err += ((query[j] as number) - c * scale) ** 2;
      }
      const out = outPtr(capacity);
      kernel.dots(rowsPtr, queryPtr, out, size, stride);
      return { raw: new Int32Array(memory, out, size), scale, err: Math.sqrt(err) };
    },
  };
}
