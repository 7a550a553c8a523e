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

/**
 * Call metrics shared by every session and transport: process-wide (for the operator's
 * `/metrics`) and per namespace (for `get_metrics`, so one tenant never sees another's calls).
 */
export interface Metrics {
  /** Records one finished tool call, made in `namespace`. */
  record(tool: string, ms: number, ok: boolean, namespace: string): void;
  /** Per-tool figures of every namespace together. */
  tools(): ReadonlyMap<string, ToolStats>;
  /** Per-tool figures of the calls made in one namespace (empty when it made none). */
  toolsIn(namespace: string): ReadonlyMap<string, ToolStats>;
  /** p-th percentile (0..100) of a tool's recent latencies (process-wide, or in `namespace`), or null with no calls. */
  percentile(tool: string, p: number, namespace?: string): number | null;
  /** Free-form gauges and counters (sessions, requests, rate-limited). */
  bump(name: string, by?: number): void;
  counters(): ReadonlyMap<string, number>;
}

/** Creates an empty metrics registry. */
export function createMetrics(): Metrics {
  const byTool = new Map<string, ToolStats>();
  const byNamespace = new Map<string, Map<string, ToolStats>>();
  const counters = new Map<string, number>();
  const none: ReadonlyMap<string, ToolStats> = new Map();
  return {
    record(tool, ms, ok, namespace) {
      let own = byNamespace.get(namespace);
      if (!own) {
        own = new Map();
        byNamespace.set(namespace, own);
      }
      add(byTool, tool, ms, ok);
      add(own, tool, ms, ok);
    },
    tools: () => byTool,
    toolsIn: (namespace) => byNamespace.get(namespace) ?? none,
    percentile(tool, p, namespace) {
      const s = (namespace === undefined ? byTool : byNamespace.get(namespace))?.get(tool);
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

function add(into: Map<string, ToolStats>, tool: string, ms: number, ok: boolean): void {
  let s = into.get(tool);
  if (!s) {
    s = { calls: 0, errors: 0, totalMs: 0, buckets: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0), recent: new Float64Array(WINDOW), recentCount: 0 };
    into.set(tool, s);
  }
  s.calls++;
  if (!ok) s.errors++;
  s.totalMs += ms;
  for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) if (i === LATENCY_BUCKETS_MS.length || ms <= LATENCY_BUCKETS_MS[i]!) s.buckets[i]!++;
  s.recent[s.recentCount % WINDOW] = ms;
  s.recentCount++;
}
