import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../src/episodes/types.js';
import { inferOutcome } from '../../src/hooks/outcome.js';
import { toolStep } from '../../src/hooks/steps.js';
import { summariseSession } from '../../src/hooks/summary.js';
import { fixture } from './helpers.js';

const step = (n: number, tool: string, action: string, ok: boolean, parameters: Record<string, unknown> = {}): StepRecord => ({
  stepNumber: n,
  tool,
  action,
  parameters,
  result: ok ? { type: 'success' } : { type: 'error', message: 'Exit code 1' },
  latencyMs: 10,
  at: n * 1000,
});

describe('inferOutcome', () => {
  it('reads the outcome from the steps alone', () => {
    expect(inferOutcome([step(1, 'Read', 'read a.ts', true)])).toMatchObject({ type: 'success', verdict: '1 tool call, none failed' });
    expect(inferOutcome([step(1, 'Bash', 'npm test', false), step(2, 'Bash', 'npm test', true)])).toMatchObject({
      type: 'success',
      verdict: 'recovered from 1 failed tool call',
    });
    expect(inferOutcome([step(1, 'Edit', 'edit a.ts', true), step(2, 'Bash', 'npm test', false)])).toMatchObject({
      type: 'partial_success',
      completed: ['Edit: edit a.ts'],
      failed: ['Bash: npm test'],
      errorDetails: 'Exit code 1',
    });
    expect(inferOutcome([step(1, 'Bash', 'npm test', false)])).toMatchObject({ type: 'failure' });
  });
});

describe('summariseSession', () => {
  it('says what was asked, what changed, what ran, what failed and how it ended, in a bounded length', () => {
    const steps = [
      step(1, 'Read', 'read src/a.ts', true, { file_path: 'src/a.ts' }),
      step(2, 'Edit', 'edit src/a.ts', true, { file_path: 'src/a.ts' }),
      step(3, 'Bash', 'npm test', false),
      step(4, 'Bash', 'npm test', true),
    ];
    const text = summariseSession({
      project: 'shop',
      task: 'Fix the rounding bug?',
      steps,
      outcome: inferOutcome(steps),
      startedAt: 0,
      completedAt: 5 * 60_000,
      lastReply: 'Fixed it.',
    });
    expect(text).toBe(
      'Claude Code session in shop: Fix the rounding bug? 4 tool calls in 5 min (Bash ×2, Edit, Read). Changed src/a.ts. Ran `npm test`. 1 failed: Bash npm test. ' +
        'Outcome: success (recovered from 1 failed tool call). Last reply: Fixed it.',
    );
    const long = summariseSession({
      project: null,
      task: 'x'.repeat(5000),
      steps: Array.from({ length: 300 }, (_, i) => step(i, 'Bash', `cmd ${i} ${'y'.repeat(100)}`, i % 2 === 0)),
      outcome: { type: 'success' },
      startedAt: 0,
      completedAt: 1,
    });
    expect(long.length).toBeLessThanOrEqual(1200);
  });
});

describe('toolStep', () => {
  it('keeps paths relative to the project and never file contents or edit strings', () => {
    const write = toolStep(
      {
        event: 'PostToolUse',
        payload: fixture('post-tool-use-write', {
          tool_input: { file_path: '/repo/src/pay.ts', content: 'const key = "sk_live_abcdefghijklmnop";\n' },
        }) as never,
      },
      '/repo',
    );
    expect(write).toEqual({
      tool: 'Write',
      action: 'write src/pay.ts',
      parameters: { file_path: 'src/pay.ts', lines: 2 },
      result: { type: 'success' },
      latencyMs: 12,
    });
    const edit = toolStep(
      {
        event: 'PostToolUse',
        payload: fixture('post-tool-use-write', { tool_name: 'Edit', tool_input: { file_path: '/elsewhere/x.ts', old_string: 'a', new_string: 'b' } }) as never,
      },
      '/repo',
    );
    expect(edit.parameters).toEqual({ file_path: '/elsewhere/x.ts' });
    const fetch = toolStep(
      {
        event: 'PostToolUse',
        payload: fixture('post-tool-use-write', {
          tool_name: 'WebFetch',
          tool_input: { url: 'https://u:p@api.example.com/v1/x?token=abc#f', prompt: 'read' },
        }) as never,
      },
      '/repo',
    );
    expect(fetch.action).toBe('fetch https://api.example.com/v1/x');
    const failed = toolStep(
      { event: 'PostToolUse', payload: fixture('post-tool-use-write', { tool_response: { success: false, error: 'disk full' } }) as never },
      '/repo',
    );
    expect(failed.result).toEqual({ type: 'error', message: 'disk full' });
    const interrupted = toolStep({ event: 'PostToolUseFailure', payload: fixture('post-tool-use-failure', { is_interrupt: true }) as never }, '/repo');
    expect(interrupted.result).toEqual({ type: 'error', message: 'interrupted' });
  });
});
