import type { StepRecord } from '../../episodes/types.js';
import { canonicalKey, matchKeyOf, normText, normTool } from '../keys.js';
import type { PatternCandidate, PatternContext } from '../types.js';
import { classifyError } from './error-types.js';

/** How many steps after a failure are searched for a different approach. */
export const RECOVERY_WINDOW = 3;

const failed = (s: StepRecord) => s.result?.type === 'error' || s.result?.type === 'timeout';
const approach = (s: StepRecord) => `${normTool(s.tool)}\u0000${normText(s.action)}`;

/**
 * Error recoveries: a failed step (error or timeout) and the first later step, within
 * `RECOVERY_WINDOW`, that takes a different approach (another tool, or the same tool with a
 * different action; an identical retry is skipped). The pattern is keyed by failed tool, error
 * category and recovery tool, and its success is whether that different approach succeeded —
 * so attempts that did not work count as evidence against it. Steps without a recorded result
 * give no evidence. One candidate per key per episode (success if any attempt succeeded).
 */
export function extractRecoveries(steps: readonly StepRecord[], ctx: PatternContext): PatternCandidate[] {
  const byKey = new Map<string, PatternCandidate>();
  steps.forEach((s, i) => {
    if (!failed(s)) return;
    const next = steps.slice(i + 1, i + 1 + RECOVERY_WINDOW).find((t) => approach(t) !== approach(s));
    if (!next || next.result === null) return;
    const failedTool = normTool(s.tool);
    const recoveryTool = normTool(next.tool);
    const sameTool = failedTool === recoveryTool;
    const errorType = classifyError(s);
    const tokens = [failedTool, errorType, sameTool ? `${recoveryTool}~` : recoveryTool];
    const key = canonicalKey('error_recovery', ctx, tokens);
    const success = next.result.type === 'success';
    const prior = byKey.get(key);
    if (prior) {
      prior.success ||= success;
      return;
    }
    byKey.set(key, {
      kind: 'error_recovery',
      key,
      matchKey: matchKeyOf('error_recovery', tokens),
      description: sameTool
        ? `Error recovery: after ${failedTool} fails (${errorType}), retry ${recoveryTool} with a different action`
        : `Error recovery: after ${failedTool} fails (${errorType}), switch to ${recoveryTool}`,
      tokens,
      data: {
        failed_tool: failedTool,
        error_type: errorType,
        recovery_tool: recoveryTool,
        same_tool: sameTool,
        example_error: (s.result?.message ?? s.result?.output ?? '').slice(0, 200),
        example_recovery_action: normText(next.action),
      },
      context: ctx,
      success,
      latencyMs: next.latencyMs,
    });
  });
  return [...byKey.values()];
}
