import { statSync } from 'node:fs';
import type { Clock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { EmbedderState } from '../embeddings/types.js';
import type { IndexStats } from '../search/index.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import { dbPathOf, freeBytes, readOnlyReason, writeFaultError } from '../storage/faults.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { ResilientDb } from '../storage/resilience.js';
import type { Cache, CacheStats } from '../storage/types.js';
import { VERSION } from '../version.js';

/** Whether the primary accepts writes now, as health reports show it. */
export interface WriteHealth {
  /** False when the database is read-only or the last write found it full. */
  writable: boolean;
  /** Why writes fail (STORE_READONLY / STORE_FULL message), when they do. */
  write_error?: string;
  /** Bytes free on the database's file system (embedded databases), else null. */
  free_bytes: number | null;
  /** How long a write has been waiting for a lock another process holds, or null. */
  lock_wait_ms: number | null;
}

/** A health report, as `health_check` returns it. */
export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  /** Why the status is not `healthy`, one sentence each; empty when healthy. */
  problems: string[];
  version: string;
  uptime_s: number;
  namespace: string;
  primary: { ok: boolean; url: string; latency_ms: number | null; breaker: string; error?: string; size_bytes: number | null } & WriteHealth;
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
  /** The cache's counters. */
  cacheStats(): CacheStats;
  /** When this process started (epoch ms). */
  readonly startedAt: number;
}

/** What the health service reads. */
export interface HealthDeps {
  db: ResilientDb;
  cache: Cache;
  memories: MemoryRepo;
  episodes: EpisodeRepo;
  clock: Clock;
  startedAt: number;
  /** Enabled toolsets (reported) and the embeddings mode (a required model that failed is unhealthy). */
  config: Pick<Config, 'toolsets' | 'embeddings'>;
  embedder: () => object;
  sandbox: () => object;
  /** The search engine: its name, and how the namespace's index was loaded when it keeps one. */
  search: { name: string; indexStats?(ns: string): IndexStats | null };
}

/** Creates the health service. */
export function createHealth(deps: HealthDeps): HealthService {
  return {
    startedAt: deps.startedAt,
    cacheStats: () => deps.cache.stats(),
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
      const write = writeHealth(deps.db);
      const embedder = deps.embedder() as Partial<EmbedderState>;
      const breaker = deps.db.breaker().state;
      const unhealthy = [
        ...(ok ? [] : [`database unreachable: ${error}`]),
        ...(write.write_error ? [write.write_error] : []),
        ...(requiredEmbedderFailed(deps.config.embeddings, embedder)
          ? [`CAIRN_EMBEDDINGS=transformers requires the model, which failed: ${embedder.reason}`]
          : []),
      ];
      const degraded = [
        ...(cache.ok
          ? []
          : [
              `cache ${cache.state === 'checking' ? 'not in use yet' : 'disabled'}: ${cache.reason ?? `unavailable at ${cache.path}`}; answers come from the database meanwhile (slower)`,
            ]),
        ...(breaker === 'closed' ? [] : [`circuit breaker ${breaker} after repeated primary failures`]),
        ...(write.lock_wait_ms === null ? [] : [`a write has waited ${write.lock_wait_ms} ms for a lock another process holds`]),
        ...(write.free_bytes !== null && write.free_bytes < LOW_DISK ? [`only ${write.free_bytes} bytes free for the database`] : []),
        ...(mem.rss > 500 * 1024 ** 2 ? [`resident memory ${Math.round(mem.rss / 1024 ** 2)} MB exceeds 500 MB`] : []),
      ];
      const status = unhealthy.length ? 'unhealthy' : degraded.length ? 'degraded' : 'healthy';
      return {
        status,
        problems: [...unhealthy, ...degraded],
        version: VERSION,
        uptime_s: Math.round((deps.clock.now() - deps.startedAt) / 1000),
        namespace: ns,
        primary: { ok, url: redact(deps.db.url), latency_ms: latency, breaker, ...(error ? { error } : {}), size_bytes: dbSize(deps.db.url), ...write },
        cache,
        counts,
        process: { rss_bytes: mem.rss, heap_used_bytes: mem.heapUsed, node: process.version },
        toolsets: [...deps.config.toolsets],
        embedder: { ...embedder },
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

/** Free space below which the database is reported degraded, bytes (100 MB, as `cairn doctor` fails). */
const LOW_DISK = 100 * 1024 ** 2;

/**
 * Whether the primary takes writes: a write refused as read-only or full (until a write succeeds),
 * or — before any write tried — a database file this process may not write.
 */
export function writeHealth(db: ResilientDb): WriteHealth {
  const path = dbPathOf(db.url);
  const fault = db.writeFault();
  const readOnly = fault === null && path !== null && readOnlyReason(path) !== null ? writeFaultError('readonly', db.url).message : null;
  const writeError = fault?.message ?? readOnly;
  return {
    writable: writeError === null,
    ...(writeError ? { write_error: writeError } : {}),
    free_bytes: path ? freeBytes(path) : null,
    lock_wait_ms: db.lockWaitMs?.() ?? null,
  };
}

/** True when the configuration requires the model (`transformers`) and it could not load. */
export function requiredEmbedderFailed(mode: Config['embeddings'], state: Partial<EmbedderState>): boolean {
  return mode === 'transformers' && state.status === 'failed';
}

/** Size of an embedded database file plus its WAL, or null for a remote one. */
export function dbSize(url: string): number | null {
  const path = dbPathOf(url);
  if (path === null) return null;
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

/**
 * The report when the app cannot even be opened (the database is unreachable, or refuses the
 * schema): unhealthy, with the error and its causes, so `cairn health` still answers in JSON.
 */
export function unreachableReport(
  config: Pick<Config, 'dbUrl' | 'namespace' | 'toolsets'>,
  err: unknown,
): Pick<HealthReport, 'status' | 'problems' | 'version' | 'namespace' | 'primary' | 'toolsets'> {
  const error = withCauses(err);
  const path = dbPathOf(config.dbUrl);
  return {
    status: 'unhealthy',
    problems: [`database unreachable: ${error}`],
    version: VERSION,
    namespace: config.namespace,
    primary: {
      ok: false,
      url: redact(config.dbUrl),
      latency_ms: null,
      breaker: 'unknown',
      error,
      size_bytes: dbSize(config.dbUrl),
      writable: false,
      free_bytes: path ? freeBytes(path) : null,
      lock_wait_ms: null,
    },
    toolsets: config.toolsets,
  };
}

/** An error's message followed by its causes' ("… (fetch failed: connect ECONNREFUSED 127.0.0.1:1)"). */
function withCauses(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg && !parts.includes(msg)) parts.push(msg);
  }
  return parts.length > 1 ? `${parts[0]} (${parts.slice(1).join(': ')})` : (parts[0] ?? 'unknown error');
}
