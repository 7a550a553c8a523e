import type { DotKernel } from './kernel.js';

/**
 * int8 codes of the index rows, row-major in the kernel's linear memory, each row with its own
 * scale: x ≈ scale · code. (A blocked column-major copy that reads only a sparse query's
 * non-zero columns was tried: faster alone, but no faster inside a full search at 100k docs,
 * where the scattered column reads compete with everything else for memory.)
 */
export interface Int8Codes {
  /** Makes room for `capacity` rows, keeping the rows already stored. */
  reserve(capacity: number): void;
  /** Quantises `values` (length dim) into row `row`; returns the scale and the residual norm ‖x − scale·code‖. */
  encode(row: number, values: Float32Array): { scale: number; errNorm: number };
  /** Copies the codes of row `from` over row `to`. */
  move(from: number, to: number): void;
  /**
   * Integer dot products of rows [0, size) with the int16-quantised query (raw[r] · scale ≈ q·x_r),
   * or null for an all-zero query. `err` and `norm` are ‖q − scale·code‖ and ‖q‖. The view is
   * valid until the next call.
   */
  score(query: Float32Array, size: number): { raw: Int32Array; scale: number; err: number; norm: number } | null;
}

const PAGE = 65_536;
const align = (n: number) => Math.ceil(n / 64) * 64;

/** Creates empty code storage for `dim`-d rows over `kernel`'s memory. */
export function createInt8Codes(dim: number, kernel: DotKernel): Int8Codes {
  const stride = Math.ceil(dim / 32) * 32;
  // Largest int16 query code that keeps Σ|int8 · int16| below 2^31 for this stride.
  const queryMax = Math.min(32_767, Math.floor((2 ** 31 - 1) / (127 * stride)));
  const queryPtr = 0;
  const rowsPtr = align(stride * 2);
  let capacity = 0;
  const outPtr = (cap: number) => rowsPtr + cap * stride;
  let bytes = new Int8Array(kernel.memory.buffer);

  return {
    reserve(next) {
      if (next <= capacity) return;
      const need = outPtr(next) + next * 4;
      const have = kernel.memory.buffer.byteLength;
      if (need > have) kernel.memory.grow(Math.ceil((need - have) / PAGE));
      bytes = new Int8Array(kernel.memory.buffer);
      capacity = next;
    },
    encode(row, values) {
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(values[j] as number));
      const scale = max / 127;
      let err = 0;
      const base = rowsPtr + row * stride;
      for (let j = 0; j < dim; j++) {
        const x = values[j] as number;
        const c = scale === 0 ? 0 : Math.round(x / scale);
        bytes[base + j] = c;
        err += (x - c * scale) ** 2;
      }
      return { scale, errNorm: Math.sqrt(err) };
    },
    move(from, to) {
      bytes.copyWithin(rowsPtr + to * stride, rowsPtr + from * stride, rowsPtr + from * stride + stride);
    },
    score(query, size) {
      let max = 0;
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const x = query[j] as number;
        max = Math.max(max, Math.abs(x));
        norm += x * x;
      }
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
      return { raw: new Int32Array(memory, out, size), scale, err: Math.sqrt(err), norm: Math.sqrt(norm) };
    },
  };
}
