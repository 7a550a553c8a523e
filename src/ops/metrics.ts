/** Latency histogram bucket bounds (ms) shared with the Prometheus exporter. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

const WINDOW = 2048;

/** Per-tool counters. */
export interface ToolStats {
  calls: number;
  errors: number;
  /** Sum of latencies, ms. */
  totalMs: number;
  /** Cumulative counts per LATENCY_BUCKETS_MS bound (last slot is +Inf). */
  buckets: number[];
  /** Recent latencies for percentiles (ring buffer). */
  recent: Float64Array;
  recentCount: number;
}

/** Process-wide call metrics, shared by every session and transport. */
export interface Metrics {
  /** Records one finished tool call. */
  record(tool: string, ms: number, ok: boolean): void;
  tools(): ReadonlyMap<string, ToolStats>;
  /** p-th percentile (0..100) of a tool's recent latencies, or null with no calls. */
  percentile(tool: string, p: number): number | null;
  /** Free-form gauges and counters (sessions, requests, rate-limited). */
  bump(name: string, by?: number): void;
  counters(): ReadonlyMap<string, number>;
}

/** Creates an empty metrics registry. */
export function createMetrics(): Metrics {
  const byTool = new Map<string, ToolStats>();
  const counters = new Map<string, number>();
  return {
    record(tool, ms, ok) {
      let s = byTool.get(tool);
      if (!s) {
        s = { calls: 0, errors: 0, totalMs: 0, buckets: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0), recent: new Float64Array(WINDOW), recentCount: 0 };
        byTool.set(tool, s);
      }
      s.calls++;
      if (!ok) s.errors++;
      s.totalMs += ms;
      for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) if (i === LATENCY_BUCKETS_MS.length || ms <= LATENCY_BUCKETS_MS[i]!) s.buckets[i]!++;
      s.recent[s.recentCount % WINDOW] = ms;
      s.recentCount++;
    },
    tools: () => byTool,
    percentile(tool, p) {
      const s = byTool.get(tool);
      if (!s || s.recentCount === 0) return null;
      const xs = Array.from(s.recent.subarray(0, Math.min(s.recentCount, WINDOW))).sort((a, b) => a - b);
      const idx = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
      return xs[idx]!;
    },
    bump(name, by = 1) {
      counters.set(name, (counters.get(name) ?? 0) + by);
    },
    counters: () => counters,
  };
}
