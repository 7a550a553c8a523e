import { formatDuration } from './duration.js';
import { errorRate } from './reward.js';
import type { Outcome, Reflection, Reward, Steps } from './types.js';

const MAX = 5;
const push = (list: string[], s: string) => {
  if (list.length < MAX) list.push(s);
};

/** Rule-based reflection: what went well, what to improve, what to remember. ≤ 5 items each. `durationMs` is the episode's (`episodeDuration`). */
export function reflect(outcome: Outcome, steps: Steps, reward: Reward, durationMs: number): Reflection {
  const successes: string[] = [];
  const improvements: string[] = [];
  const insights: string[] = [];
  const errors = steps.filter((s) => s.result && s.result.type !== 'success');

  if (outcome.type === 'success') push(successes, `Completed successfully in ${steps.length} step(s) and ${formatDuration(durationMs)}.`);
  if (outcome.type === 'partial_success') {
    push(successes, `Partially completed: ${outcome.completed?.length ?? 0} item(s) done.`);
    if (outcome.failed?.length) push(improvements, `Unfinished: ${outcome.failed.slice(0, 3).join('; ')}.`);
  }
  if (outcome.type === 'failure')
    push(improvements, `Failed${outcome.reason ? `: ${outcome.reason}` : ''}${outcome.errorDetails ? ` (${outcome.errorDetails})` : ''}.`);
  if (outcome.type === 'abstained') push(insights, `Abstained${outcome.reason ? `: ${outcome.reason}` : ''}; knowing when not to act is rewarded at 0.3.`);
  if (steps.length > 0 && errors.length === 0) push(successes, 'Every step succeeded.');

  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (!s.result || s.result.type === 'success') continue;
    const fix = steps.slice(i + 1).find((t) => t.result?.type === 'success');
    if (fix)
      push(
        successes,
        `Recovered from ${s.result.type === 'error' ? 'an' : 'a'} ${s.result.type} in ${s.tool} (step ${s.stepNumber}) with ${fix.tool}: ${fix.action}.`,
      );
    else
      push(improvements, `Step ${s.stepNumber} (${s.tool}) ended in ${s.result.type}${s.result.message ? `: ${s.result.message}` : ''} and was not recovered.`);
  }

  const lat = steps.map((s) => s.latencyMs).filter((x): x is number => x !== null && x !== undefined);
  if (lat.length >= 2) {
    const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
    const slow = steps.filter((s) => s.latencyMs !== null && s.latencyMs > 3 * mean && s.latencyMs > 1000);
    for (const s of slow)
      push(improvements, `Slow step ${s.stepNumber} (${s.tool}): ${Math.round(s.latencyMs!)} ms, over 3× the mean of ${Math.round(mean)} ms.`);
  }
  const rate = errorRate(steps);
  if (rate > 0.3) push(improvements, `High step error rate (${Math.round(rate * 100)}%): check inputs before calling tools.`);
  if (steps.length > 20) push(improvements, `Long episode (${steps.length} steps): consider splitting the task.`);

  const tools = [...new Set(steps.map((s) => s.tool))];
  if (tools.length > 0 && outcome.type === 'success') push(insights, `Tools that worked together: ${tools.slice(0, 6).join(' → ')}.`);
  if (reward.learning_bonus > 0)
    push(
      insights,
      `Learning bonus ${reward.learning_bonus.toFixed(2)}: ${reward.notes
        .filter((n) => n.startsWith('learning'))
        .map((n) => n.replace(/^learning \+[\d.]+: /, ''))
        .join(', ')}.`,
    );
  if (outcome.verdict) push(insights, `Verdict: ${outcome.verdict}`);
  return { successes, improvements, insights };
}
