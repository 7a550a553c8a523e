import { selectInPlace } from '../select.js';

/** Keeps the k highest-scoring integer keys seen so far (a bounded min-heap). */
export interface TopK {
  /** Offers a key; kept when the heap is not full or `score` beats the current minimum. */
  push(key: number, score: number): void;
  /** Lowest score kept, or -Infinity while fewer than k are held. */
  threshold(): number;
  /** Number of keys held (≤ k). */
  readonly size: number;
  /** True when `key` is held (linear; for small k). */
  has(key: number): boolean;
  /** Keys and scores, best first. */
  sorted(): Array<{ key: number; score: number }>;
}

/** Creates a TopK of capacity `k` (≥ 0). Ties keep the earlier key. */
export function createTopK(k: number): TopK {
  const keys = new Int32Array(Math.max(k, 1));
  const scores = new Float64Array(Math.max(k, 1));
  let size = 0;

  const swap = (a: number, b: number) => {
    const kk = keys[a] as number;
    keys[a] = keys[b] as number;
    keys[b] = kk;
    const ss = scores[a] as number;
    scores[a] = scores[b] as number;
    scores[b] = ss;
  };
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((scores[p] as number) <= (scores[i] as number)) return;
      swap(i, p);
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && (scores[l] as number) < (scores[m] as number)) m = l;
      if (r < size && (scores[r] as number) < (scores[m] as number)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };

  return {
    get size() {
      return size;
    },
    push(key, score) {
      if (k <= 0) return;
      if (size < k) {
        keys[size] = key;
        scores[size] = score;
        up(size++);
      } else if (score > (scores[0] as number)) {
        keys[0] = key;
        scores[0] = score;
        down(0);
      }
    },
    threshold() {
      return size < k ? -Infinity : (scores[0] as number);
    },
    has(key) {
      for (let i = 0; i < size; i++) if (keys[i] === key) return true;
      return false;
    },
    sorted() {
      const out: Array<{ key: number; score: number }> = [];
      for (let i = 0; i < size; i++) out.push({ key: keys[i] as number, score: scores[i] as number });
      return out.sort((a, b) => b.score - a.score || a.key - b.key);
    },
  };
}

/**
 * The k-th largest of `values` (1-based k, clamped to the length), by quickselect; reorders
 * `values` in place. -Infinity for an empty array.
 */
export function kthLargest(values: Float64Array, k: number): number {
  const n = values.length;
  if (n === 0) return -Infinity;
  return selectInPlace(values, n - Math.min(Math.max(k, 1), n));
}
