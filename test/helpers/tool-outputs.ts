import type { advancedPatternAnalysis } from '../../tools/advanced-pattern-analysis.js';
import type { analyzePatterns } from '../../tools/analyze-patterns.js';
import type { breakDownTask } from '../../tools/break-down-task.js';
import type { completeEpisode } from '../../tools/complete-episode.js';
import type { ToolDefinition } from '../../tools/define-tool.js';
import type { energyReport } from '../../tools/energy-report.js';
import type { executeAgentCode } from '../../tools/execute-agent-code.js';
import type { focus } from '../../tools/focus.js';
import type { forget } from '../../tools/forget.js';
import type { getCheckIns } from '../../tools/get-check-ins.js';
import type { getEpisode } from '../../tools/get-episode.js';
import type { getMetrics } from '../../tools/get-metrics.js';
import type { healthCheck } from '../../tools/health-check.js';
import type { BudgetMarks } from '../../tools/layer/reply-budget.js';
import type { logEnergy } from '../../tools/log-energy.js';
import type { logStep } from '../../tools/log-step.js';
import type { queryMemory } from '../../tools/query-memory.js';
import type { recoverContext } from '../../tools/recover-context.js';
import type { remember } from '../../tools/remember.js';
import type { startEpisode } from '../../tools/start-episode.js';
import type { updateTask } from '../../tools/update-task.js';

// biome-ignore lint/suspicious/noExplicitAny: any tool's schemas; R is what its handler returns
type Output<T> = T extends ToolDefinition<any, any, infer R> ? R & BudgetMarks : never;

/** What each tool returns as `structuredContent`: what its handler returns, plus the reply budget's marks. */
export interface ToolOutputs {
  advanced_pattern_analysis: Output<typeof advancedPatternAnalysis>;
  analyze_patterns: Output<typeof analyzePatterns>;
  break_down_task: Output<typeof breakDownTask>;
  complete_episode: Output<typeof completeEpisode>;
  energy_report: Output<typeof energyReport>;
  execute_agent_code: Output<typeof executeAgentCode>;
  focus: Output<typeof focus>;
  forget: Output<typeof forget>;
  get_check_ins: Output<typeof getCheckIns>;
  get_episode: Output<typeof getEpisode>;
  get_metrics: Output<typeof getMetrics>;
  health_check: Output<typeof healthCheck>;
  log_energy: Output<typeof logEnergy>;
  log_step: Output<typeof logStep>;
  query_memory: Output<typeof queryMemory>;
  recover_context: Output<typeof recoverContext>;
  remember: Output<typeof remember>;
  start_episode: Output<typeof startEpisode>;
  update_task: Output<typeof updateTask>;
}

/** A tool name. */
export type ToolName = keyof ToolOutputs;
