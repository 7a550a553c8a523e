/**
 * Hostile-but-valid calls that make each tool's reply as large as its input limits allow: the
 * longest memories at limit 100, the largest series, console spam, the longest episodes, breakdowns
 * at the step limit. Shared by `scripts/reply-sizes.ts` (which measures the replies) and the test
 * that holds every reply to the budget, so both exercise the same worst cases.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Calls a tool through an MCP client. */
export type CallTool = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

/** One hostile call; `args` may depend on ids created while seeding. */
export interface HostileCase {
  label: string;
  tool: string;
  args: (ids: SeedIds) => Record<string, unknown>;
}

/** Ids the cases refer to. */
export interface SeedIds {
  longEpisode: string;
  task: string;
  firstStep: string;
}

/** How much to seed: the script uses the limits, the test a smaller (still over-budget) size. */
export interface SeedSize {
  memories: number;
  memoryChars: number;
  episodeSteps: number;
}

/** Sizes at the schema limits (content ≤ 20,000 characters, 100 results, step outputs ≤ 20,000). */
export const FULL_SIZE: SeedSize = { memories: 100, memoryChars: 20_000, episodeSteps: 300 };

const words = ['alpha', 'river', 'stone', 'ledger', 'cobalt', 'harbour', 'quartz', 'meadow', 'signal', 'timber'];
const prose = (n: number, seed: number) => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${words[(i * 7 + seed) % words.length]} ${i % 13 === 0 ? `"q${seed}" ` : ''}`;
  return s.slice(0, n);
};

function expectOk(res: CallToolResult, what: string): Record<string, unknown> {
  if (res.isError) throw new Error(`${what} failed while seeding: ${JSON.stringify(res.content).slice(0, 300)}`);
  return res.structuredContent as Record<string, unknown>;
}

/** Stores long memories, a long episode with many tools and failures, ADHD tasks with notes and energy readings. */
export async function seedHostile(call: CallTool, size: SeedSize): Promise<SeedIds> {
  for (let i = 0; i < size.memories; i++) {
    expectOk(
      await call('remember', {
        content: `alpha memory ${i}: ${prose(size.memoryChars - 20, i)}`,
        tags: ['alpha', `n${i}`],
        metadata: { note: prose(2000, i) },
      }),
      'remember',
    );
  }
  const ep = expectOk(
    await call('start_episode', { task: prose(10_000, 1), task_type: 'debugging', domain: 'web-api', context: { blob: prose(15_000, 2) } }),
    'start_episode',
  );
  const episodeId = ep.episode_id as string;
  for (let i = 0; i < size.episodeSteps; i++) {
    const failed = i % 5 === 0;
    expectOk(
      await call('log_step', {
        episode_id: episodeId,
        tool: `tool_${i % 40}`,
        action: prose(2000, i),
        parameters: { decision: `choice ${i % 7}`, blob: prose(8000, i) },
        result: failed ? { type: 'error', message: prose(5000, i) } : { type: 'success', output: prose(20_000, i) },
        latency_ms: 10 + i,
      }),
      'log_step',
    );
  }
  // A second, open episode so recover_context has one with long steps to show.
  const open = expectOk(await call('start_episode', { task: prose(10_000, 3), task_type: 'analysis', domain: 'data' }), 'start_episode');
  for (let i = 0; i < 3; i++) expectOk(await call('log_step', { episode_id: open.episode_id, tool: 'read', action: prose(2000, i) }), 'log_step');

  const steps = Array.from({ length: 30 }, (_, i) => ({
    title: `Step ${i} ${prose(190, i)}`,
    estimate_minutes: 5 + i,
    energy: 'medium',
    needs_focus: i % 2 === 0,
  }));
  const bd = expectOk(
    await call('break_down_task', { task: prose(2000, 4), steps, energy_now: 6, category: 'writing', deadline: '2099-01-01T00:00:00Z' }),
    'break_down_task',
  );
  const task = (bd.task as { id: string }).id;
  const firstStep = (bd.steps as Array<{ id: string }>)[1]!.id;
  for (let i = 0; i < 6; i++) expectOk(await call('update_task', { task_id: firstStep, note: prose(2000, i) }), 'update_task');
  for (let i = 0; i < 9; i++)
    expectOk(await call('break_down_task', { task: `Other task ${i} ${prose(1900, i)}`, steps: steps.slice(0, 3) }), 'break_down_task');
  for (let i = 0; i < 20; i++)
    expectOk(await call('log_energy', { level: 1 + (i % 10), attention: 'focused', note: prose(1000, i), mood: 'calm' }), 'log_energy');
  return { longEpisode: episodeId, task, firstStep };
}

/** Deterministic series (no randomness, so the script's numbers repeat). */
function series(n: number, k: number): number[] {
  return Array.from({ length: n }, (_, t) => Math.round((Math.sin(t / (7 + k)) * 10 + ((t * 37 + k * 11) % 17) / 3 + (t > n / 2 ? 4 : 0)) * 1000) / 1000);
}
const manySeries = (count: number, n: number) => Object.fromEntries(Array.from({ length: count }, (_, k) => [`s${k}`, series(n, k)]));

/** The calls whose replies are measured, after `seedHostile`. */
export const HOSTILE_CASES: HostileCase[] = [
  { label: 'query_memory limit 100, long memories', tool: 'query_memory', args: () => ({ query: 'alpha river stone', limit: 100 }) },
  { label: 'query_memory limit 100, explain', tool: 'query_memory', args: () => ({ query: 'alpha river stone', limit: 100, explain: true }) },
  { label: 'query_memory max_chars 200', tool: 'query_memory', args: () => ({ query: 'alpha', max_chars: 200 }) },
  { label: 'query_memory default (10 hits)', tool: 'query_memory', args: () => ({ query: 'alpha river stone' }) },
  {
    label: 'advanced_pattern_analysis 1 × 10,000 comprehensive',
    tool: 'advanced_pattern_analysis',
    args: () => ({ analysis_type: 'comprehensive', time_series_data: { x: series(10_000, 1) } }),
  },
  {
    label: 'advanced_pattern_analysis 20 × 500 comprehensive',
    tool: 'advanced_pattern_analysis',
    args: () => ({ analysis_type: 'comprehensive', time_series_data: manySeries(20, 500) }),
  },
  {
    label: 'advanced_pattern_analysis 20 × 500 comprehensive, full',
    tool: 'advanced_pattern_analysis',
    args: () => ({
      analysis_type: 'comprehensive',
      time_series_data: manySeries(20, 500),
      detail: 'full',
      config: { forecast_horizon: 100, anomaly_sensitivity: 1 },
    }),
  },
  {
    label: 'advanced_pattern_analysis 5 × 2,000 predictive, full',
    tool: 'advanced_pattern_analysis',
    args: () => ({
      analysis_type: 'predictive',
      time_series_data: manySeries(5, 2000),
      detail: 'full',
      config: { forecast_horizon: 100, anomaly_sensitivity: 1 },
    }),
  },
  {
    label: 'execute_agent_code 1 MB console spam',
    tool: 'execute_agent_code',
    args: () => ({ code: 'for (let i = 0; i < 1e5; i++) console.log("line " + i + " " + "x".repeat(90)); "done"', context: { task: 'spam' } }),
  },
  {
    label: 'execute_agent_code 1 MB result',
    tool: 'execute_agent_code',
    args: () => ({
      code: 'Array.from({ length: 3e4 }, (_, i) => ({ i, s: "row " + i + " " + "y".repeat(20) }))',
      context: { task: 'big result' },
      limits: { timeout_ms: 20_000 },
    }),
  },
  { label: 'get_episode 300 long steps, step_limit 1000', tool: 'get_episode', args: (ids) => ({ episode_id: ids.longEpisode, step_limit: 1000 }) },
  {
    label: 'complete_episode of the long episode',
    tool: 'complete_episode',
    args: (ids) => ({
      episode_id: ids.longEpisode,
      outcome: { type: 'partial_success', completed: Array.from({ length: 100 }, (_, i) => prose(900, i)), failed: ['x'], verdict: prose(2000, 9) },
    }),
  },
  { label: 'analyze_patterns everything, limit 1000', tool: 'analyze_patterns', args: () => ({ min_support: 1, min_success_rate: 0, limit: 1000 }) },
  {
    label: 'break_down_task 30 long steps',
    tool: 'break_down_task',
    args: () => ({
      task: prose(2000, 5),
      steps: Array.from({ length: 30 }, (_, i) => ({ title: prose(200, i), estimate_minutes: 60 + i, energy: 'high' })),
      energy_now: 3,
      deadline: '2099-01-01T00:00:00Z',
    }),
  },
  {
    label: 'update_task with long notes',
    tool: 'update_task',
    args: (ids) => ({ task_id: ids.firstStep, status: 'done', actual_minutes: 12, note: prose(2000, 7) }),
  },
  { label: 'recover_context', tool: 'recover_context', args: () => ({}) },
  { label: 'energy_report', tool: 'energy_report', args: () => ({ window_days: 365 }) },
  { label: 'log_energy', tool: 'log_energy', args: () => ({ level: 5, attention: 'neutral' }) },
  { label: 'focus start', tool: 'focus', args: () => ({ action: 'start', topic: prose(200, 3) }) },
  { label: 'get_check_ins history', tool: 'get_check_ins', args: () => ({ include_acknowledged: true }) },
  { label: 'health_check', tool: 'health_check', args: () => ({}) },
  { label: 'get_metrics', tool: 'get_metrics', args: () => ({}) },
  { label: 'remember', tool: 'remember', args: () => ({ content: prose(20_000, 99), metadata: { blob: prose(16_000, 1) } }) },
  { label: 'forget', tool: 'forget', args: () => ({ id: 'no-such-id' }) },
];

/** Bytes a reply puts on the wire for the model: its structuredContent JSON plus every text block. */
export function replyBytes(res: CallToolResult): number {
  const structured = res.structuredContent === undefined ? 0 : Buffer.byteLength(JSON.stringify(res.structuredContent), 'utf8');
  const text = res.content.reduce((a, c) => a + (c.type === 'text' ? Buffer.byteLength(c.text, 'utf8') : 0), 0);
  return structured + text;
}
