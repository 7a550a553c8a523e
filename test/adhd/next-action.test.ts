import { describe, expect, it } from 'vitest';
import { type NextActionState, suggestNextAction } from '../../src/adhd/next-action.js';
import type { Task } from '../../src/adhd/types.js';

const task = (title: string, status: Task['status'] = 'todo') => ({ title, status }) as Task;
const base: NextActionState = {
  hyperfocusMinutes: null,
  activeFocus: null,
  energy: null,
  lowEnergyBelow: 4,
  openTasks: [],
  lowEnergySteps: [],
  openEpisodes: [],
};

describe('suggestNextAction', () => {
  it('puts a break after hyperfocus before everything else', () => {
    expect(suggestNextAction({ ...base, hyperfocusMinutes: 95, activeFocus: { label: 'x', minutes: 95 } })).toMatch(/^Take a break first: 95 min/);
  });
  it('carries on with the active focus', () => {
    expect(suggestNextAction({ ...base, activeFocus: { label: 'Report', minutes: 20 } })).toBe('Carry on with "Report" (focused for 20 min).');
  });
  it('at energy 3 offers a low-energy step or rest; at 4 it does not', () => {
    const s = { ...base, openTasks: [{ task: task('Big', 'doing'), nextStep: null }], lowEnergySteps: [{ title: 'Sort mail', energy: 'low' as const }] };
    expect(suggestNextAction({ ...s, energy: 3 })).toContain('"Sort mail"');
    expect(suggestNextAction({ ...s, energy: 3, lowEnergySteps: [] })).toMatch(/^Energy is 3\/10: rest/);
    expect(suggestNextAction({ ...s, energy: 4 })).toBe('Resume "Big".');
  });
  it('resumes a task in progress before an open episode, which comes before a new task', () => {
    const open = [{ task: task('Taxes'), nextStep: task('Find forms') }];
    const eps = [{ task: 'Fix login', lastAction: 'ran tests' }];
    expect(suggestNextAction({ ...base, openTasks: [{ task: task('Taxes'), nextStep: task('Find forms', 'doing') }], openEpisodes: eps })).toBe(
      'Resume "Taxes": next step "Find forms".',
    );
    expect(suggestNextAction({ ...base, openTasks: open, openEpisodes: eps })).toBe(
      'Pick up the open episode "Fix login" (last step: ran tests), or complete it.',
    );
    expect(suggestNextAction({ ...base, openTasks: open })).toBe('Start "Taxes": next step "Find forms".');
  });
  it('suggests planning when nothing is open', () => {
    expect(suggestNextAction(base)).toContain('break_down_task');
  });
});
