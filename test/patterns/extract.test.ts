import { describe, expect, it } from 'vitest';
import type { EpisodeWithSteps, StepRecord } from '../../src/episodes/types.js';
import { classifyError } from '../../src/patterns/extract/error-types.js';
import { extractCandidates } from '../../src/patterns/extract/index.js';
import { extractRecoveries } from '../../src/patterns/extract/recoveries.js';
import { extractSequences, MAX_SEQUENCES_PER_EPISODE, toolRuns } from '../../src/patterns/extract/sequences.js';
import type { PatternContext } from '../../src/patterns/types.js';

const ctx: PatternContext = { taskType: 'debugging', domain: 'web-api', language: 'typescript', tags: ['auth'] };
let n = 0;
function step(tool: string, action: string, result: StepRecord['result'] = { type: 'success' }, extra: Partial<StepRecord> = {}): StepRecord {
  n++;
  return { stepNumber: n, tool, action, parameters: {}, result, latencyMs: 10, at: 1_000 + n, ...extra };
}
function episode(steps: StepRecord[], extra: Partial<EpisodeWithSteps> = {}): EpisodeWithSteps {
  return {
    id: 'ep-1',
    namespace: 'default',
    task: 'fix login',
    taskType: 'debugging',
    domain: 'web-api',
    language: 'typescript',
    framework: null,
    tags: ['auth'],
    complexity: 'moderate',
    context: {},
    status: 'completed',
    outcomeType: 'success',
    outcome: null,
    reward: null,
    rewardParts: null,
    reflection: null,
    summary: null,
    startedAt: 0,
    completedAt: 5_000,
    updatedAt: 5_000,
    steps,
    ...extra,
  };
}
const err = (message: string) => ({ type: 'error' as const, message });

describe('tool sequences', () => {
  it('collapses repeated calls and takes every distinct window of 2–5 runs', () => {
    const steps = [step('read_file', 'a'), step('read_file', 'b'), step('grep', 'c'), step('edit_file', 'd'), step('run_tests', 'e')];
    expect(toolRuns(steps).map((r) => r.tool)).toEqual(['read_file', 'grep', 'edit_file', 'run_tests']);
    expect(toolRuns(steps)[0]!.latencyMs).toBe(20);
    const seqs = extractSequences(steps, ctx, true);
    expect(seqs.map((s) => (s.data.tools as string[]).join('>'))).toEqual([
      'read_file>grep',
      'grep>edit_file',
      'edit_file>run_tests',
      'read_file>grep>edit_file',
      'grep>edit_file>run_tests',
      'read_file>grep>edit_file>run_tests',
    ]);
    expect(seqs.every((s) => s.success && s.kind === 'tool_sequence')).toBe(true);
    expect(seqs[0]!.latencyMs).toBe(30);
  });

  it('counts a window once per episode and caps long episodes', () => {
    const loop = [step('edit', 'x'), step('test', 'y'), step('edit', 'x'), step('test', 'y')];
    const keys = extractSequences(loop, ctx, false).map((s) => (s.data.tools as string[]).join('>'));
    expect(keys).toEqual(['edit>test', 'test>edit', 'edit>test>edit', 'test>edit>test', 'edit>test>edit>test']);
    const many = Array.from({ length: 200 }, (_, i) => step(`tool${i % 37}`, 'a'));
    expect(extractSequences(many, ctx, true)).toHaveLength(MAX_SEQUENCES_PER_EPISODE);
  });

  it('gives no latency when a step in the window recorded none', () => {
    const seqs = extractSequences([step('a', 'x'), step('b', 'y', { type: 'success' }, { latencyMs: null })], ctx, true);
    expect(seqs[0]!.latencyMs).toBeNull();
  });
});

describe('error recoveries', () => {
  it('pairs a failure with the next different approach and records whether it worked', () => {
    const steps = [
      step('run_tests', 'npm test', err('AssertionError: expected 1 to be 2')),
      step('run_tests', 'npm test', err('AssertionError: expected 1 to be 2')),
      step('edit_file', 'fix off-by-one'),
      step('npm', 'npm install', err('npm ERR! network ECONNRESET')),
      step('npm', 'npm install --prefer-offline'),
      step('deploy', 'deploy', { type: 'timeout' }),
      step('rollback', 'roll back', err('permission denied')),
    ];
    const rec = extractRecoveries(steps, ctx);
    expect(rec.map((r) => [r.data.failed_tool, r.data.error_type, r.data.recovery_tool, r.data.same_tool, r.success])).toEqual([
      ['run_tests', 'test_failure', 'edit_file', false, true],
      ['npm', 'network', 'npm', true, true],
      ['deploy', 'timeout', 'rollback', false, false],
    ]);
    expect(rec[1]!.description).toBe('Error recovery: after npm fails (network), retry npm with a different action');
    expect(rec[0]!.tokens).toEqual(['run_tests', 'test_failure', 'edit_file']);
  });

  it('ignores identical retries and failures with no later different step', () => {
    const steps = [step('curl', 'GET /health', err('ECONNREFUSED')), step('curl', 'GET /health'), step('curl', 'get  /HEALTH', err('boom'))];
    expect(extractRecoveries(steps, ctx)).toEqual([]);
  });

  it('classifies error messages into stable categories', () => {
    const c = (message: string, type: 'error' | 'timeout' = 'error') => classifyError(step('t', 'a', { type, message }));
    expect(c('anything', 'timeout')).toBe('timeout');
    expect(c("Error: Cannot find module 'zod'")).toBe('dependency');
    expect(c('SyntaxError: Unexpected token }')).toBe('syntax_error');
    expect(c("TS2322: Type 'string' is not assignable to type 'number'")).toBe('type_error');
    expect(c('3 tests failed')).toBe('test_failure');
    expect(c('ENOENT: no such file or directory')).toBe('not_found');
    expect(c('HTTP 429 Too Many Requests')).toBe('rate_limited');
    expect(c('EACCES: permission denied')).toBe('permission');
    expect(c('something odd happened')).toBe('error');
  });
});

describe('decisions, context and heuristics', () => {
  it('reads decisions from step parameters and episode context', () => {
    const ep = episode(
      [
        step(
          'plan',
          'choose storage',
          { type: 'success' },
          { parameters: { decision: { question: 'Which database?', chosen: 'SQLite', options: ['SQLite', 'Postgres'] } } },
        ),
        step('cache', 'pick cache policy', { type: 'success' }, { parameters: { Choice: 'LRU' } }),
        step('noop', 'nothing', { type: 'success' }, { parameters: { decision: { options: ['a', 'b'] } } }),
      ],
      { context: { branch: 'hotfix' } },
    );
    const decisions = extractCandidates(ep, 'success').filter((c) => c.kind === 'decision_point');
    expect(decisions.map((d) => [d.data.condition, d.data.chosen])).toEqual([
      ['which database?', 'sqlite'],
      ['cache: pick cache policy', 'lru'],
      ['branch', 'hotfix'],
    ]);
    expect(decisions[0]!.data.alternatives).toEqual(['sqlite', 'postgres']);
    expect(decisions[0]!.description).toBe('Decision: which database? → sqlite');
  });

  it('emits the context pattern and one heuristic per tool, and counts only success as success', () => {
    const ep = episode([step('read_file', 'a'), step('run_tests', 'b'), step('read_file', 'c')]);
    const all = extractCandidates(ep, 'partial_success');
    const context = all.find((c) => c.kind === 'context_pattern')!;
    expect(context.description).toBe('Context: debugging in web-api (typescript)');
    expect(context.latencyMs).toBe(5_000);
    const heuristics = all.filter((c) => c.kind === 'heuristic');
    expect(heuristics.map((h) => h.data.action)).toEqual(['use read_file', 'use run_tests']);
    expect(heuristics[0]!.data.condition).toBe('task_type=debugging, domain=web-api, language=typescript');
    expect(all.every((c) => c.success === false)).toBe(true);
    expect(new Set(all.map((c) => c.key)).size).toBe(all.length);
  });

  it('takes only error recoveries from an abstained episode', () => {
    const ep = episode([step('a', 'x', err('boom')), step('b', 'y'), step('c', 'z')]);
    expect(extractCandidates(ep, 'abstained').map((c) => c.kind)).toEqual(['error_recovery']);
  });
});
