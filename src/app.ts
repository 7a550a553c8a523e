import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox } from '../sandbox/runner.js';
import type { Sandbox } from '../sandbox/types.js';
import { type CheckInMonitor, createCheckInMonitor } from './adhd/monitor.js';
import { adhdConfigFrom, createAdhdService } from './adhd/service.js';
import type { AdhdService, CheckIn } from './adhd/types.js';
import { createAnalysisService } from './analysis/service.js';
import type { AnalysisService } from './analysis/types.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config/index.js';
import { type ContextService, createContextService } from './context/service.js';
import { createEmbedderManager } from './embeddings/manager.js';
import { runtimeDirOf } from './embeddings/runtime.js';
import type { EmbedderManager } from './embeddings/types.js';
import { createEpisodeService, type EpisodeService } from './episodes/service.js';
import { createLogger, type Logger } from './logger.js';
import { createAccessLog } from './memory/access-log.js';
import { type Curator, createCurator, defaultSimilarity } from './memory/curator.js';
import { createMemoryService, type MemoryService } from './memory/service.js';
import { createHealth, type HealthService } from './ops/health.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { createLoadSeries } from './patterns/series.js';
import type { PatternService } from './patterns/service.js';
import { createPatternService } from './patterns/service.js';
import { withEmbeddingCache } from './search/cached-embedder.js';
import { createSearchEngine, type SearchEngine } from './search/index.js';
import { createMemoryVectors } from './search/memory-vectors.js';
import { createActivityRepo } from './storage/activity-repo.js';
import type { CacheChecker } from './storage/cache-check.js';
import { withCache } from './storage/cached-episodes.js';
import { createCheckInRepo } from './storage/check-in-repo.js';
import { createContextRepo } from './storage/context-repo.js';
import { createCurationRepo } from './storage/curation-repo.js';
import { createEnergyRepo } from './storage/energy-repo.js';
import { createEpisodeRepo, type EpisodeRepo } from './storage/episode-repo.js';
import { createFocusRepo } from './storage/focus-repo.js';
import { openLibsql } from './storage/libsql.js';
import { createLmdbCache } from './storage/lmdb-cache.js';
import { createMemoryLifecycleRepo } from './storage/memory-lifecycle-repo.js';
import { createMemoryRepo, type MemoryRepo } from './storage/memory-repo.js';
import { migrate } from './storage/migrate.js';
import { createPatternRepo } from './storage/pattern-repo.js';
import { type ResilientDb, withResilience } from './storage/resilience.js';
import { createSkippedRows, reportSkippedRows } from './storage/rows.js';
import { createSeriesRepo } from './storage/series-repo.js';
import { createTaskRepo } from './storage/task-repo.js';
import type { Cache } from './storage/types.js';
import { createVectorRepo } from './storage/vector-repo.js';
import { VERSION } from './version.js';

/**
 * Everything one process shares across sessions: storage, services, metrics. Built once by
 * `createApp`; each transport session builds a thin McpServer over it.
 */
export interface App {
  readonly version: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly startedAt: number;
  readonly db: ResilientDb;
  readonly cache: Cache;
  readonly repos: { memories: MemoryRepo; episodes: EpisodeRepo };
  readonly memory: MemoryService;
  /** Merges near-duplicate memories and applies decay in the background (CAIRN_CURATE_MINUTES); runs are undoable. */
  readonly curator: Curator;
  /** The engine behind query_memory (CAIRN_SEARCH); capabilities such as `reindex` are optional members. */
  readonly search: SearchEngine;
  readonly episodes: EpisodeService;
  /** ADHD support: tasks with calibrated estimates, energy, focus, check-ins, context recovery. */
  readonly adhd: AdhdService;
  /** Budgeted context packs: the SessionStart pack, `recover_context {max_tokens}`, `cairn://context`, prompt context. */
  readonly context: ContextService;
  /** The background check-in monitor (`tick()` runs it now). */
  readonly monitor: CheckInMonitor;
  /**
   * Subscribes to new check-ins, one batch per namespace and evaluation, whether the background
   * monitor or a call (`get_check_ins`, `recover_context`) raised them; sessions relay them to clients.
   */
  onCheckIns(listener: (namespace: string, checkIns: CheckIn[]) => void | Promise<void>): () => void;
  /** Pattern learning: extraction on completion, analyze_patterns, pattern search. */
  readonly patterns: PatternService;
  /** Time-series statistics behind advanced_pattern_analysis (series from callers or stored episodes). */
  readonly analysis: AnalysisService;
  readonly metrics: Metrics;
  readonly health: HealthService;
  /** Active embedder (hashing at once; the model after it loads in the background). */
  readonly embeddings: EmbedderManager;
  /** Runs agent code in QuickJS worker threads (`execute_agent_code`); absent when not wired. */
  /** QuickJS worker pool for execute_agent_code (workers start on first use). */
  readonly sandbox: Sandbox;
  /** Closes background work, the cache and the database. Idempotent. */
  close(): Promise<void>;
}

/** Test and embedding hooks: replace the clock, the logger or the cache file check, shorten waits. */
export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** How long a call waits for a database lock held by another process before STORE_BUSY, ms. Default 5000. */
  busyWaitMs?: number;
  /** Checks the cache file before it is opened. Default: in a child process (`checkCacheFile`). */
  cacheChecker?: CacheChecker;
}

/** Wires storage and services once per process. Fails fast when the database cannot be opened. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  if (config.dbUrl.startsWith('file:')) mkdirSync(config.home, { recursive: true });

  const busy = options.busyWaitMs === undefined ? {} : { busyWaitMs: options.busyWaitMs };
  const raw = await openLibsql({ url: config.dbUrl, ...(config.dbAuthToken ? { authToken: config.dbAuthToken } : {}), ...busy });
  const db = withResilience(raw, { clock, logger, ...busy });
  reportSkippedRows(db, createSkippedRows(logger));
  try {
    await migrate(db, logger);
  } catch (err) {
    db.close();
    throw err;
  }
  const cache = createLmdbCache({ dir: config.cacheDir, logger, ...(options.cacheChecker ? { checker: options.cacheChecker } : {}) });
  const memories = createMemoryRepo(db);
  const episodes = withCache(createEpisodeRepo(db), cache);
  const episodeService = createEpisodeService({ repo: episodes, clock });
  const patterns = createPatternService({ repo: createPatternRepo(db), loadEpisode: (ns, id) => episodes.get(ns, id), clock, logger });
  episodeService.addCompletionHook(patterns.hook);
  // Pattern work a previous process left pending (it crashed after acknowledging a completion) finishes in the background.
  void patterns.recoverPending().catch((err: unknown) => logger.warn('pattern job recovery failed; will retry on next start', { err: String(err) }));
  const embeddings = createEmbedderManager({
    mode: config.embeddings,
    model: config.model,
    ...(config.modelDir ? { modelDir: config.modelDir } : {}),
    cacheDir: join(config.home, 'models'),
    runtimeDir: runtimeDirOf(config.home),
    offline: config.offline,
    logger,
    clock,
  });
  const search = createSearchEngine(config.search, {
    db,
    memories,
    episodes,
    embeddings,
    cache,
    indexDir: join(config.cacheDir, 'index'),
    patterns,
    clock,
    logger,
  });
  const embedder = () => withEmbeddingCache(embeddings.active(), cache);
  const memoryEvents = createMemoryLifecycleRepo(db);
  const access = createAccessLog({ write: (ns, uses) => memoryEvents.recordAccess(ns, uses), logger });
  access.start();
  const memory = createMemoryService({ repo: memories, lifecycle: memoryEvents, engine: search, clock, access, embed: (texts) => embedder().embed(texts) });
  const curator = createCurator({
    repo: createCurationRepo(db),
    vectors: createMemoryVectors({ vectors: createVectorRepo(db), embedder }),
    clock,
    access,
    rules: () => ({ similarity: config.curateSimilarity ?? defaultSimilarity(embeddings.active().id) }),
    intervalMs: config.curateMinutes * 60_000,
    logger,
  });
  curator.start();
  const checkInListeners = new Set<(ns: string, c: CheckIn[]) => void | Promise<void>>();
  const adhd = createAdhdService({
    repos: {
      tasks: createTaskRepo(db),
      energy: createEnergyRepo(db),
      focus: createFocusRepo(db),
      checkIns: createCheckInRepo(db),
      activity: createActivityRepo(db),
    },
    episodes,
    memories,
    clock,
    logger,
    config: adhdConfigFrom(config),
    onCheckIns: async (ns, list) => {
      for (const l of checkInListeners) {
        try {
          await l(ns, list);
        } catch (err) {
          logger.warn('check-ins: a listener failed', { namespace: ns, error: err });
        }
      }
    },
  });
  const context = createContextService({ memory, memories: createContextRepo(db), episodes, adhd, clock, timeZone: config.timeZone });
  const monitor = createCheckInMonitor({ service: adhd, clock, intervalMs: config.checkInMinutes * 60_000, listNamespaces: () => adhd.namespaces(), logger });
  monitor.start();
  const sandbox = createSandbox({ ...(config.sandboxWorkers ? { poolSize: config.sandboxWorkers } : {}), logger: logger.child({ mod: 'sandbox' }) });
  const metrics = createMetrics();
  const startedAt = clock.now();
  const closers: Array<() => Promise<void> | void> = [];
  let closed = false;
  // A snapshot that is due is saved before the cache closes.
  closers.push(() => search.close?.());
  closers.push(() => patterns.close());
  // Closed in reverse: the curator stops before the last access counts are written.
  closers.push(() => access.close());
  closers.push(() => curator.stop());
  closers.push(() => monitor.stop());
  closers.push(() => sandbox.close());

  const app: App = {
    version: VERSION,
    config,
    logger,
    clock,
    startedAt,
    db,
    cache,
    repos: { memories, episodes },
    memory,
    curator,
    search,
    episodes: episodeService,
    patterns,
    analysis: createAnalysisService({ loadSeries: createLoadSeries(createSeriesRepo(db)) }),
    adhd,
    context,
    monitor,
    sandbox,
    onCheckIns(listener) {
      checkInListeners.add(listener);
      return () => checkInListeners.delete(listener);
    },
    metrics,
    embeddings,
    health: createHealth({
      db,
      cache,
      memories,
      episodes,
      clock,
      startedAt,
      config,
      embedder: () => embeddings.state(),
      sandbox: () => sandbox.stats(),
      search,
    }),
    async close() {
      if (closed) return;
      closed = true;
      for (const c of closers.reverse()) await c();
      await embeddings.close();
      await cache.close();
      db.close();
    },
  };
  return app;
}
