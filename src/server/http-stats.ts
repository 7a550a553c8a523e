import { LATENCY_BUCKETS_MS } from '../ops/metrics.js';

/** The routes the HTTP server reports on (anything else is `other`). */
export const ROUTES = ['/mcp', '/sse', '/messages', '/healthz', '/readyz', '/metrics', '/ui', 'other'] as const;
export type Route = (typeof ROUTES)[number];

/** Per-route request counts by status and a latency histogram. */
export interface RouteStats {
  byStatus: Map<number, number>;
  /** Cumulative counts per LATENCY_BUCKETS_MS bound, last slot +Inf. */
  buckets: number[];
  count: number;
  totalMs: number;
}

/** HTTP request statistics for `/metrics`. */
export interface HttpStats {
  record(route: Route, status: number, ms: number): void;
  routes(): ReadonlyMap<Route, RouteStats>;
}

/** Maps a path to its route label (bounded cardinality: unknown paths share `other`; the dashboard's pages share `/ui`). */
export function routeOf(pathname: string): Route {
  if (pathname === '/ui' || pathname.startsWith('/ui/')) return '/ui';
  return (ROUTES as readonly string[]).includes(pathname) ? (pathname as Route) : 'other';
}

/** Creates empty HTTP statistics. */
export function createHttpStats(): HttpStats {
  const routes = new Map<Route, RouteStats>();
  return {
    record(route, status, ms) {
      let r = routes.get(route);
      if (!r) {
        r = { byStatus: new Map(), buckets: new Array(LATENCY_BUCKETS_MS.length + 1).fill(0), count: 0, totalMs: 0 };
        routes.set(route, r);
      }
      r.byStatus.set(status, (r.byStatus.get(status) ?? 0) + 1);
      r.count++;
      r.totalMs += ms;
      for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) if (i === LATENCY_BUCKETS_MS.length || ms <= LATENCY_BUCKETS_MS[i]!) r.buckets[i]!++;
    },
    routes: () => routes,
  };
}
