import { advancedPatternAnalysis } from './advanced-pattern-analysis.js';
import { analyzePatterns } from './analyze-patterns.js';
import { breakDownTask } from './break-down-task.js';
import { completeEpisode } from './complete-episode.js';
import type { AnyTool } from './define-tool.js';
import { energyReport } from './energy-report.js';
import { executeAgentCode } from './execute-agent-code.js';
import { focus } from './focus.js';
import { forget } from './forget.js';
import { getCheckIns } from './get-check-ins.js';
import { getEpisode } from './get-episode.js';
import { getMetrics } from './get-metrics.js';
import { healthCheck } from './health-check.js';
import { logEnergy } from './log-energy.js';
import { logStep } from './log-step.js';
import { queryMemory } from './query-memory.js';
import { recoverContext } from './recover-context.js';
import { remember } from './remember.js';
import { startEpisode } from './start-episode.js';
import { updateTask } from './update-task.js';

/** Every tool Cairn offers, in the order clients list them. Add new tools here explicitly. */
export const ALL_TOOLS: AnyTool[] = [
  remember,
  queryMemory,
  forget,
  startEpisode,
  logStep,
  completeEpisode,
  getEpisode,
  analyzePatterns,
  advancedPatternAnalysis,
  breakDownTask,
  updateTask,
  logEnergy,
  energyReport,
  focus,
  recoverContext,
  getCheckIns,
  executeAgentCode,
  healthCheck,
  getMetrics,
];
