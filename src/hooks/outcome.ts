import type { Outcome, StepRecord } from '../episodes/types.js';

/** Longest list of step actions an outcome carries. */
const LISTED = 20;

/**
 * The outcome of a session's work, read from its steps alone (no model judges it): no failed step
 * is a success; failures followed by a successful last step are a success that recovered; a failed
 * last step is a partial success, or a failure when no step succeeded.
 */
export function inferOutcome(steps: readonly StepRecord[]): Outcome {
  const failed = steps.filter((s) => s.result !== null && s.result.type !== 'success');
  const completed = steps.filter((s) => s.result === null || s.result.type === 'success');
  const list = (xs: readonly StepRecord[]) => xs.slice(-LISTED).map((s) => `${s.tool}: ${s.action}`.slice(0, 200));
  const last = steps[steps.length - 1];
  if (failed.length === 0)
    return { type: 'success', verdict: `${steps.length} tool call${steps.length === 1 ? '' : 's'}, none failed`, completed: list(completed) };
  const lastFailed = last?.result !== null && last?.result?.type !== 'success';
  if (!lastFailed) {
    return {
      type: 'success',
      verdict: `recovered from ${failed.length} failed tool call${failed.length === 1 ? '' : 's'}`,
      completed: list(completed),
      failed: list(failed),
    };
  }
  if (completed.length === 0)
    return { type: 'failure', reason: `every tool call failed (${failed.length})`, failed: list(failed), errorDetails: last?.result?.message };
  return {
    type: 'partial_success',
    reason: `the last tool call failed: ${last!.tool} ${last!.action}`.slice(0, 300),
    completed: list(completed),
    failed: list(failed),
    ...(last?.result?.message ? { errorDetails: last.result.message } : {}),
  };
}
