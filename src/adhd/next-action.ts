import type { Task } from './types.js';

/** What the next-action rule looks at. */
export interface NextActionState {
  hyperfocusMinutes: number | null;
  activeFocus: { label: string; minutes: number } | null;
  /** Current energy level when fresh. */
  energy: number | null;
  lowEnergyBelow: number;
  openTasks: ReadonlyArray<{ task: Task; nextStep: Task | null }>;
  /** Open steps that need little energy (for low-energy days). */
  lowEnergySteps: ReadonlyArray<Pick<Task, 'title' | 'energy'>>;
  openEpisodes: ReadonlyArray<{ task: string; lastAction: string | null }>;
}

/**
 * One suggested next action, first match wins: a break after hyperfocus; carry on with the active
 * focus; at low energy a low-energy step (or rest); resume a task in progress; pick up an open
 * episode; start the most recent open task; otherwise plan something.
 */
export function suggestNextAction(s: NextActionState): string {
  if (s.hyperfocusMinutes !== null) {
    return `Take a break first: ${s.hyperfocusMinutes} min of focus without one. Stand up, drink water, then come back to it.`;
  }
  if (s.activeFocus) return `Carry on with "${s.activeFocus.label}" (focused for ${s.activeFocus.minutes} min).`;
  if (s.energy !== null && s.energy < s.lowEnergyBelow) {
    const easy = s.lowEnergySteps.find((t) => t.energy === 'low');
    return easy
      ? `Energy is ${s.energy}/10: do a low-energy step, "${easy.title}", or rest.`
      : `Energy is ${s.energy}/10: rest, eat or drink something before starting anything demanding.`;
  }
  const doing = s.openTasks.find((t) => t.task.status === 'doing' || t.nextStep?.status === 'doing');
  if (doing) return resume(doing, 'Resume');
  const ep = s.openEpisodes[0];
  if (ep) return `Pick up the open episode "${ep.task}"${ep.lastAction ? ` (last step: ${ep.lastAction})` : ''}, or complete it.`;
  const next = s.openTasks[0];
  if (next) return resume(next, 'Start');
  return 'Nothing is open. Plan the next thing with break_down_task, or log_energy to check in.';
}

function resume(t: { task: Task; nextStep: Task | null }, verb: string): string {
  return t.nextStep ? `${verb} "${t.task.title}": next step "${t.nextStep.title}".` : `${verb} "${t.task.title}".`;
}
