import type { TestServer } from '../helpers/client.js';
import type { ToolOutputs } from '../helpers/tool-outputs.js';

/** A step as log_step takes it. */
export interface StepInput {
  tool: string;
  action: string;
  result?: { type: 'success' | 'error' | 'timeout'; message?: string; output?: string };
  parameters?: Record<string, unknown>;
  latency_ms?: number;
}

/** Episode context for start_episode. */
export interface EpisodeInput {
  task?: string;
  task_type?: string;
  domain?: string;
  language?: string;
  tags?: string[];
  context?: Record<string, unknown>;
}

/** Runs one whole episode through the MCP client and returns complete_episode's output. */
export async function runEpisode(
  s: TestServer,
  steps: StepInput[],
  outcome: 'success' | 'partial_success' | 'failure' | 'abstained' = 'success',
  ep: EpisodeInput = {},
): Promise<ToolOutputs['complete_episode']> {
  const { episode_id } = await s.call('start_episode', {
    task: ep.task ?? 'Fix the flaky login test',
    task_type: ep.task_type ?? 'debugging',
    domain: ep.domain ?? 'web-api',
    ...(ep.language !== null ? { language: ep.language ?? 'typescript' } : {}),
    ...(ep.tags ? { tags: ep.tags } : {}),
    ...(ep.context ? { context: ep.context } : {}),
  });
  for (const st of steps) await s.call('log_step', { episode_id, ...st });
  const done = await s.call('complete_episode', { episode_id, outcome: { type: outcome } });
  return { ...done, episode_id };
}

const ok = { type: 'success' as const };

/** A realistic debugging episode: read, run tests (fails), edit, run tests again. */
export const debugSteps = (): StepInput[] => [
  { tool: 'read_file', action: 'read login.test.ts', result: ok, latency_ms: 40 },
  { tool: 'run_tests', action: 'run the suite', result: { type: 'error', message: 'AssertionError: expected 302 to equal 200' }, latency_ms: 900 },
  { tool: 'edit_file', action: 'await the redirect', result: ok, latency_ms: 60 },
  { tool: 'run_tests', action: 'run the suite again', result: ok, latency_ms: 800 },
];
