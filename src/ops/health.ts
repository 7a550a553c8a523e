import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { IndexStats } from '../search/index.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { ResilientDb } from '../storage/resilience.js';
import type { Cache, CacheStats } from '../storage/types.js';
import { VERSION } from '../version.js';

/** A health report, as `health_check` returns it. */
export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  version: string;
  uptime_s: number;
  namespace: string;
  primary: { ok: boolean; url: string; latency_ms: number | null; breaker: string; error?: string; size_bytes: number | null };
  cache: CacheStats;
  counts: { memories: number; forgotten: number; episodes_open: number; episodes_completed: number; steps: number };
  process: { rss_bytes: number; heap_used_bytes: number; node: string };
  toolsets: string[];
  embedder: Record<string, unknown>;
  sandbox: Record<string, unknown>;
  search: { engine: string; index: IndexReport | null };
}

/** The search index of the namespace as `health_check` reports it (null until first used). */
export interface IndexReport {
  source: IndexStats['source'];
  documents: number;
  embedder: string;
  load_ms: number;
  position: IndexStats['position'];
  caught_up: number;
  saved: { position: IndexStats['position']; bytes: number; saved_at: string } | null;
}

/** Builds health reports for a namespace. */
export interface HealthService {
  check(ns: string): Promise<HealthReport>;
}

/** Creates the health service. */
export function createHealth(deps: {
  db: ResilientDb;
  cache: Cache;
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  clock: Clock;
  startedAt: number;
  config: Config;
  embedder: () => object;
  sandbox: () => object;
  search: { name: string; indexStats?(ns: string): IndexStats | null };
}): HealthService {
  return {
    async check(ns) {
      const t0 = performance.now();
      let ok = true;
      let error: string | undefined;
      let counts: HealthReport['counts'] = { memories: 0, forgotten: 0, episodes_open: 0, episodes_completed: 0, steps: 0 };
      try {
        await deps.db.execute('SELECT 1');
        const m = await deps.memories.count(ns);
        const e = await deps.episodes.counts(ns);
        counts = { memories: m.live, forgotten: m.deleted, episodes_open: e.open, episodes_completed: e.completed, steps: e.steps };
      } catch (err) {
        ok = false;
        error = err instanceof Error ? err.message : String(err);
      }
      const latency = ok ? Math.round((performance.now() - t0) * 100) / 100 : null;
      const cache = deps.cache.stats();
      const mem = process.memoryUsage();
      const status = !ok ? 'unhealthy' : !cache.ok || deps.db.breaker().state !== 'closed' || mem.rss > 500 * 1024 ** 2 ? 'degraded' : 'healthy';
      return {
        status,
        version: VERSION,
        uptime_s: Math.round((deps.clock.now() - deps.startedAt) / 1000),
        namespace: ns,
        primary: { ok, url: redact(deps.db.url), latency_ms: latency, breaker: deps.db.breaker().state, ...(error ? { error } : {}), size_bytes: dbSize(deps.db.url) },
        cache,
        counts,
        process: { rss_bytes: mem.rss, heap_used_bytes: mem.heapUsed, node: process.version },
        toolsets: deps.config.toolsets,
        embedder: { ...deps.embedder() },
        sandbox: { ...deps.sandbox() },
        search: { engine: deps.search.name, index: indexReport(deps.search.indexStats?.(ns) ?? null) },
      };
    },
  };
}

function indexReport(s: IndexStats | null): IndexReport | null {
  if (!s) return null;
  return {
    source: s.source,
    documents: s.documents,
    embedder: s.embedder,
    load_ms: Math.round(s.loadMs * 10) / 10,
    position: s.position,
    caught_up: s.caughtUp,
    saved: s.saved && { position: s.saved.position, bytes: s.saved.bytes, saved_at: new Date(s.saved.savedAt).toISOString() },
  };
}

/** Size of an embedded database file plus its WAL, or null for a remote one. */
export function dbSize(url: string): number | null {
  if (!url.startsWith('file:')) return null;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice(5);
  let total = 0;
  for (const f of [path, `${path}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      /* a missing WAL is normal */
    }
  }
  return total;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/authToken=[^&]+/, 'authToken=***');
}
