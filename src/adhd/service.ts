import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { happenedAt } from '../time.js';
import { DEFAULT_MULTIPLIER_RANGE } from './calibration.js';
import { type CheckInsRaised, createCheckInOps } from './check-in-service.js';
import type { AdhdContext, AdhdRepos } from './context.js';
import { createEnergyOps } from './energy-service.js';
import { createFocusOps } from './focus-service.js';
import { createHistoryOps } from './history-service.js';
import { createRecoverOps } from './recover-service.js';
import { createTaskOps } from './task-service.js';
import { assertTimeZone } from './time-zone.js';
import { type AdhdConfig, type AdhdService, DEFAULT_RULES } from './types.js';

/** What the service needs: its repositories, read-only views of episodes and memories, the clock. */
export interface AdhdDeps {
  repos: AdhdRepos;
  episodes: AdhdContext['episodes'];
  memories: AdhdContext['memories'];
  clock: Clock;
  logger: Logger;
  config: AdhdConfig;
  /** Told about new check-ins as they are written, by the monitor or at call time (notifications). */
  onCheckIns?: CheckInsRaised;
}

/** Maps the process config (`CAIRN_TIME_MULTIPLIER`, `CAIRN_TZ`, `CAIRN_CHECKIN_MINUTES`, `CAIRN_FOCUS_IDLE_MINUTES`) to the service's. */
export function adhdConfigFrom(config: { timeMultiplier: number; timeZone: string; checkInMinutes: number; focusIdleMinutes: number }): AdhdConfig {
  return {
    defaultMultiplier: config.timeMultiplier,
    timeZone: config.timeZone,
    checkInIntervalMs: config.checkInMinutes * 60_000,
    rules: { focusIdleMinutes: config.focusIdleMinutes },
  };
}

/**
 * Creates the ADHD service: task breakdown with calibrated estimates, energy, focus and breaks,
 * check-ins and context recovery. Every method takes the session's namespace first. Fails at
 * construction on a bad configuration (multiplier outside 1.5–3, unknown time zone, interval ≤ 0).
 */
export function createAdhdService(deps: AdhdDeps): AdhdService {
  const { config } = deps;
  const m = config.defaultMultiplier;
  if (!(m >= DEFAULT_MULTIPLIER_RANGE.min && m <= DEFAULT_MULTIPLIER_RANGE.max)) {
    throw new CairnError(
      'CONFIG_INVALID',
      `adhd: default multiplier ${m} is out of range; use ${DEFAULT_MULTIPLIER_RANGE.min}–${DEFAULT_MULTIPLIER_RANGE.max} (CAIRN_TIME_MULTIPLIER)`,
    );
  }
  try {
    assertTimeZone(config.timeZone);
  } catch {
    throw new CairnError('CONFIG_INVALID', `adhd: unknown time zone "${config.timeZone}"; use an IANA name such as "Europe/Berlin" (CAIRN_TZ)`);
  }
  if (!(config.checkInIntervalMs >= 0)) {
    throw new CairnError('CONFIG_INVALID', `adhd: check-in interval ${config.checkInIntervalMs} ms must be ≥ 0 (0 disables the monitor)`);
  }
  const rules = Object.freeze({ ...DEFAULT_RULES, ...config.rules });
  const ctx: AdhdContext = {
    ...deps.repos,
    episodes: deps.episodes,
    memories: deps.memories,
    clock: deps.clock,
    logger: deps.logger,
    config,
    rules,
    timeOf: (at, field) => happenedAt(deps.clock, at, field),
  };
  const checkIns = createCheckInOps(ctx, deps.onCheckIns);
  return {
    rules,
    config,
    ...createTaskOps(ctx),
    ...createEnergyOps(ctx),
    ...createFocusOps(ctx),
    ...createHistoryOps(ctx),
    ...checkIns,
    ...createRecoverOps(ctx, checkIns.evaluateCheckIns),
    async namespaces() {
      const lists = await Promise.all([ctx.tasks.namespaces(), ctx.energy.namespaces(), ctx.focus.namespaces(), ctx.episodes.namespacesWithOpen()]);
      return [...new Set(lists.flat())].sort();
    },
  };
}
