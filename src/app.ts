import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AdhdService } from './adhd/types.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createEmbedderManager } from './embeddings/manager.js';
import type { EmbedderManager } from './embeddings/types.js';
import { createEpisodeService, type EpisodeService } from './episodes/service.js';
import { createLogger, type Logger } from './logger.js';
import { createFtsSearch } from './memory/fts-search.js';
import { createMemoryService, type MemoryService } from './memory/service.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { createHealth, type HealthService } from './ops/health.js';
import { withCache } from './storage/cached-episodes.js';
import { createEpisodeRepo, type EpisodeRepo } from './storage/episode-repo.js';
import { openLibsql } from './storage/libsql.js';
import { createLmdbCache } from './storage/lmdb-cache.js';
import { createMemoryRepo, type MemoryRepo } from './storage/memory-repo.js';
import { migrate } from './storage/migrate.js';
import { withResilience, type ResilientDb } from './storage/resilience.js';
import type { Cache } from './storage/types.js';
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
  readonly episodes: EpisodeService;
  /** ADHD support: tasks with calibrated estimates, energy, focus, check-ins, context recovery. */
  readonly adhd: AdhdService;
  readonly metrics: Metrics;
  readonly health: HealthService;
  /** Active embedder (hashing at once; the model after it loads in the background). */
  readonly embeddings: EmbedderManager;
  /** Closes background work, the cache and the database. Idempotent. */
  close(): Promise<void>;
}

/** Test and embedding hooks: replace the clock or the logger. */
export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
}

/** Wires storage and services once per process. Fails fast when the database cannot be opened. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  if (config.dbUrl.startsWith('file:')) mkdirSync(config.home, { recursive: true });

  const raw = await openLibsql({ url: config.dbUrl, ...(config.dbAuthToken ? { authToken: config.dbAuthToken } : {}) });
  const db = withResilience(raw, { clock, logger });
  try {
    await migrate(db, logger);
  } catch (err) {
    db.close();
    throw err;
  }
  const cache = createLmdbCache({ dir: config.cacheDir, logger });
  const memories = createMemoryRepo(db);
  const episodes = withCache(createEpisodeRepo(db), cache);
  const memory = createMemoryService({ repo: memories, engine: createFtsSearch({ memories, episodes }), clock });
  const episodeService = createEpisodeService({ repo: episodes, clock });
  const embeddings = createEmbedderManager({
    mode: config.embeddings,
    model: config.model,
    ...(config.modelDir ? { modelDir: config.modelDir } : {}),
    cacheDir: join(config.home, 'models'),
    offline: config.offline,
    logger,
    clock,
  });
  const metrics = createMetrics();
  const startedAt = clock.now();
  const closers: Array<() => Promise<void> | void> = [];
  let closed = false;

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
    episodes: episodeService,
    metrics,
    embeddings,
    health: createHealth({ db, cache, memories, episodes, clock, startedAt, config, embedder: () => embeddings.state() }),
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
