import type { App } from '../app.js';
import { dbSize } from '../ops/health.js';
import { LATENCY_BUCKETS_MS } from '../ops/metrics.js';
import type { HttpStats } from './http-stats.js';

/** Live numbers only the HTTP server knows. */
export interface ServerGauges {
  sessions: Record<string, number>;
  inFlight: number;
  stats: HttpStats;
}

/** Content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};
const LE = [...LATENCY_BUCKETS_MS.map((ms) => String(ms / 1000)), '+Inf'];

/** Accumulates metric families in the text format: HELP and TYPE once, then samples. */
function writer() {
  const out: string[] = [];
  return {
    family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string) {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    },
    sample(name: string, l: Record<string, string>, value: number) {
      out.push(`${name}${labels(l)} ${Number.isFinite(value) ? value : 0}`);
    },
    histogram(name: string, l: Record<string, string>, buckets: number[], count: number, sumMs: number) {
      for (const [i, n] of buckets.entries()) out.push(`${name}_bucket${labels({ ...l, le: LE[i]! })} ${n}`);
      out.push(`${name}_sum${labels(l)} ${sumMs / 1000}`, `${name}_count${labels(l)} ${count}`);
    },
    text: () => `${out.join('\n')}\n`,
  };
}

/**
 * Renders process-wide metrics as Prometheus text: tool calls, errors and latency per tool;
 * HTTP requests per route and status; sessions; cache; database; embedder; process memory; and
 * the app's free-form counters (rate-limited requests, auth failures, expired sessions, …).
 */
export function renderPrometheus(app: App, gauges: ServerGauges): string {
  const w = writer();
  w.family('cairn_info', 'gauge', 'Cairn version (value is always 1).');
  w.sample('cairn_info', { version: app.version }, 1);
  w.family('cairn_uptime_seconds', 'gauge', 'Seconds since the process started serving.');
  w.sample('cairn_uptime_seconds', {}, Math.round((app.clock.now() - app.startedAt) / 1000));

  const tools = [...app.metrics.tools()];
  w.family('cairn_tool_calls_total', 'counter', 'Tool calls by tool.');
  for (const [tool, s] of tools) w.sample('cairn_tool_calls_total', { tool }, s.calls);
  w.family('cairn_tool_errors_total', 'counter', 'Tool calls that returned an error, by tool.');
  for (const [tool, s] of tools) w.sample('cairn_tool_errors_total', { tool }, s.errors);
  w.family('cairn_tool_duration_seconds', 'histogram', 'Tool call latency by tool.');
  for (const [tool, s] of tools) w.histogram('cairn_tool_duration_seconds', { tool }, s.buckets, s.calls, s.totalMs);

  const routes = [...gauges.stats.routes()];
  w.family('cairn_http_requests_total', 'counter', 'HTTP requests by route and status code.');
  for (const [route, r] of routes) for (const [code, n] of r.byStatus) w.sample('cairn_http_requests_total', { route, code: String(code) }, n);
  w.family('cairn_http_request_duration_seconds', 'histogram', 'HTTP request duration by route (for SSE streams: until the stream closed).');
  for (const [route, r] of routes) w.histogram('cairn_http_request_duration_seconds', { route }, r.buckets, r.count, r.totalMs);

  w.family('cairn_sessions', 'gauge', 'Open MCP sessions by transport.');
  for (const [transport, n] of Object.entries(gauges.sessions)) w.sample('cairn_sessions', { transport }, n);
  w.family('cairn_inflight_requests', 'gauge', 'MCP requests received and not yet answered.');
  w.sample('cairn_inflight_requests', {}, gauges.inFlight);
  w.family('cairn_events_total', 'counter', 'Server events: sessions opened/expired, rate-limited and unauthorised requests, ….');
  for (const [event, n] of app.metrics.counters()) w.sample('cairn_events_total', { event }, n);

  const c = app.cache.stats();
  w.family('cairn_cache_up', 'gauge', '1 when the LMDB cache is in use, 0 while its file is checked or when it runs disabled.');
  w.sample('cairn_cache_up', {}, c.ok ? 1 : 0);
  w.family('cairn_cache_hits_total', 'counter', 'Cache hits.');
  w.sample('cairn_cache_hits_total', {}, c.hits);
  w.family('cairn_cache_misses_total', 'counter', 'Cache misses.');
  w.sample('cairn_cache_misses_total', {}, c.misses);
  w.family('cairn_cache_errors_total', 'counter', 'Cache errors (logged and bypassed).');
  w.sample('cairn_cache_errors_total', {}, c.errors);
  w.family('cairn_cache_corrupt_total', 'counter', 'Cache records that failed their checksum (each a miss, never served).');
  w.sample('cairn_cache_corrupt_total', {}, c.corrupt);
  w.family('cairn_cache_entries', 'gauge', 'Entries in the cache.');
  w.sample('cairn_cache_entries', {}, c.entries);
  w.family('cairn_cache_size_bytes', 'gauge', 'Size of the cache file.');
  w.sample('cairn_cache_size_bytes', {}, c.bytes);

  const size = dbSize(app.db.url);
  if (size !== null) {
    w.family('cairn_db_size_bytes', 'gauge', 'Size of the embedded database file and its WAL.');
    w.sample('cairn_db_size_bytes', {}, size);
  }
  const breaker = app.db.breaker();
  w.family('cairn_db_breaker_state', 'gauge', 'Circuit breaker around the primary store (1 for the current state).');
  for (const state of ['closed', 'open', 'half-open']) w.sample('cairn_db_breaker_state', { state }, breaker.state === state ? 1 : 0);

  const emb = app.embeddings.state();
  w.family('cairn_embedder_status', 'gauge', 'Embedder status (1 for the current one) and the active vector space.');
  for (const status of ['hashing', 'loading', 'ready', 'failed'])
    w.sample('cairn_embedder_status', { status, active: emb.active }, emb.status === status ? 1 : 0);

  const mem = process.memoryUsage();
  w.family('cairn_process_resident_memory_bytes', 'gauge', 'Resident set size.');
  w.sample('cairn_process_resident_memory_bytes', {}, mem.rss);
  w.family('cairn_process_heap_used_bytes', 'gauge', 'V8 heap in use.');
  w.sample('cairn_process_heap_used_bytes', {}, mem.heapUsed);
  return w.text();
}
