import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { ActivityRepo } from '../storage/activity-repo.js';
import type { CheckInRepo } from '../storage/check-in-repo.js';
import type { EnergyRepo } from '../storage/energy-repo.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import type { FocusRepo } from '../storage/focus-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { TaskRepo } from '../storage/task-repo.js';
import type { AdhdConfig, AdhdRules } from './types.js';

/** The ADHD repositories, one per kind of record. */
export interface AdhdRepos {
  tasks: TaskRepo;
  energy: EnergyRepo;
  focus: FocusRepo;
  checkIns: CheckInRepo;
  /** When anything was last recorded in a namespace (idle focus, time away). */
  activity: ActivityRepo;
}

/** What the parts of the ADHD service share. Episodes and memories are read-only sources for check-ins and context recovery. */
export interface AdhdContext extends AdhdRepos {
  episodes: Pick<EpisodeRepo, 'list' | 'lastSteps' | 'namespacesWithOpen'>;
  memories: Pick<MemoryRepo, 'count' | 'recent'>;
  clock: Clock;
  logger: Logger;
  config: AdhdConfig;
  rules: AdhdRules;
  /** `at` when given (validated by `happenedAt`), else the clock. */
  timeOf(at: number | undefined, field?: string): number;
}
