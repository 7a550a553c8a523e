import type { Outcome, StepRecord } from '../episodes/types.js';

/** What a session summary is made from. */
export interface SummaryInput {
  /** Project label, or null for the global namespace. */
  project: string | null;
  /** What the user asked (the episode's task). */
  task: string;
  steps: readonly StepRecord[];
  outcome: Outcome;
  startedAt: number;
  completedAt: number;
  /** Start of Claude's last reply, if known (already cleaned). */
  lastReply?: string;
}

/**
 * A rule-based summary of a stretch of a Claude Code session (no model writes it): the request, the
 * tool calls by tool, the files changed and read, the commands run, failures and the outcome, and
 * the start of the last reply. At most about 1,200 characters.
 */
export function summariseSession(input: SummaryInput): string {
  const { steps } = input;
  const counts = new Map<string, number>();
  for (const s of steps) counts.set(s.tool, (counts.get(s.tool) ?? 0) + 1);
  const byTool = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t, n]) => (n > 1 ? `${t} ×${n}` : t));
  const changed = distinct(steps.filter((s) => /^(Write|Edit|MultiEdit|NotebookEdit)$/.test(s.tool)).map((s) => pathOf(s)));
  const read = distinct(steps.filter((s) => s.tool === 'Read').map((s) => pathOf(s))).filter((p) => !changed.includes(p));
  const commands = distinct(steps.filter((s) => s.tool === 'Bash' || s.tool === 'PowerShell').map((s) => s.action));
  const failures = steps.filter((s) => s.result !== null && s.result.type !== 'success');
  const minutes = Math.round((input.completedAt - input.startedAt) / 60_000);
  const task = cut(input.task, 200);

  const parts = [
    `Claude Code session${input.project ? ` in ${input.project}` : ''}: ${task}${/[.!?…]$/.test(task) ? '' : '.'}`,
    `${steps.length} tool call${steps.length === 1 ? '' : 's'} in ${minutes < 1 ? 'under a minute' : `${minutes} min`} (${byTool.slice(0, 6).join(', ')}).`,
  ];
  if (changed.length) parts.push(`Changed ${list(changed, 6)}.`);
  if (read.length) parts.push(`Read ${list(read, 4)}.`);
  if (commands.length)
    parts.push(
      `Ran ${list(
        commands.map((c) => `\`${cut(c, 60)}\``),
        4,
      )}.`,
    );
  if (failures.length)
    parts.push(
      `${failures.length} failed: ${list(
        failures.map((f) => `${f.tool} ${cut(f.action, 50)}`),
        3,
      )}.`,
    );
  parts.push(
    `Outcome: ${input.outcome.type.replace('_', ' ')}${input.outcome.verdict ? ` (${input.outcome.verdict})` : input.outcome.reason ? ` (${cut(input.outcome.reason, 120)})` : ''}.`,
  );
  if (input.lastReply) parts.push(`Last reply: ${cut(input.lastReply, 200)}`);
  return parts.join(' ').slice(0, 1200);
}

function pathOf(s: StepRecord): string {
  const p = s.parameters.file_path ?? s.parameters.notebook_path;
  return typeof p === 'string' ? p : s.action.replace(/^\S+\s+/, '');
}

function distinct(xs: string[]): string[] {
  return [...new Set(xs.filter(Boolean))];
}

function list(xs: string[], n: number): string {
  return xs.length <= n ? xs.join(', ') : `${xs.slice(0, n).join(', ')} and ${xs.length - n} more`;
}

function cut(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
