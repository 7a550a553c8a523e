import { completeEpisode } from './complete-episode.js';
import type { AnyTool } from './define-tool.js';
import { forget } from './forget.js';
import { getEpisode } from './get-episode.js';
import { getMetrics } from './get-metrics.js';
import { healthCheck } from './health-check.js';
import { logStep } from './log-step.js';
import { queryMemory } from './query-memory.js';
import { remember } from './remember.js';
import { startEpisode } from './start-episode.js';

/** Every tool Cairn offers, in the order clients list them. Add new tools here explicitly. */
export const ALL_TOOLS: AnyTool[] = [
  remember,
  queryMemory,
  forget,
  startEpisode,
  logStep,
  completeEpisode,
  getEpisode,
  healthCheck,
  getMetrics,
];
