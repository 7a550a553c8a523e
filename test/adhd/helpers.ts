import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdhdService } from '../../src/adhd/service.js';
import type { AdhdConfig, AdhdService } from '../../src/adhd/types.js';
import { createManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { createActivityRepo } from '../../src/storage/activity-repo.js';
import { createCheckInRepo } from '../../src/storage/check-in-repo.js';
import { createEnergyRepo } from '../../src/storage/energy-repo.js';
import { createEpisodeRepo, type EpisodeRepo } from '../../src/storage/episode-repo.js';
import { createFocusRepo } from '../../src/storage/focus-repo.js';
import { openLibsql } from '../../src/storage/libsql.js';
import { createMemoryRepo, type MemoryRepo } from '../../src/storage/memory-repo.js';
import { migrate } from '../../src/storage/migrate.js';
import { createTaskRepo } from '../../src/storage/task-repo.js';
import type { Db } from '../../src/storage/types.js';

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A real libSQL file in a temp dir, migrated, with the ADHD service over a manual clock. */
export interface Harness {
  db: Db;
  clock: ReturnType<typeof createManualClock>;
  svc: AdhdService;
  episodes: EpisodeRepo;
  memories: MemoryRepo;
  /** Sets the clock to T0 + `minutes`. */
  at(minutes: number): number;
  close(): void;
}

export async function createHarness(config: Partial<AdhdConfig> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-adhd-'));
  const db = await openLibsql({ url: `file:${join(dir, 'cairn.db')}` });
  await migrate(db, silentLogger);
  const clock = createManualClock(T0);
  const episodes = createEpisodeRepo(db);
  const memories = createMemoryRepo(db);
  const close = () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  let svc: AdhdService;
  try {
    svc = createAdhdService({
      repos: {
        tasks: createTaskRepo(db),
        energy: createEnergyRepo(db),
        focus: createFocusRepo(db),
        checkIns: createCheckInRepo(db),
        activity: createActivityRepo(db),
      },
      clock,
      logger: silentLogger,
      config: { defaultMultiplier: 2.5, timeZone: 'UTC', checkInIntervalMs: 0, ...config },
      episodes,
      memories,
    });
  } catch (err) {
    close();
    throw err;
  }
  return {
    db,
    clock,
    svc,
    episodes,
    memories,
    at(minutes) {
      clock.set(T0 + minutes * MIN);
      return clock.now();
    },
    close,
  };
}
