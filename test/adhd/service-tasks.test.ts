import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTaskRepo } from '../../src/storage/task-repo.js';
import { createHarness, type Harness, MIN, T0 } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('breakDownTask', () => {
  it('stores a tree with a starter, realistic estimates, flags and the multiplier used', async () => {
    const out = await h.svc.breakDownTask('ns', {
      task: 'Write the quarterly report',
      steps: [
        { title: 'Collect numbers', estimateMinutes: 8, energy: 'low' },
        { title: 'Draft text', estimateMinutes: 20, energy: 'high', needsFocus: true },
      ],
      energyNow: 8,
    });
    expect(out.source).toBe('client');
    expect(out.root).toMatchObject({ title: 'Write the quarterly report', parentId: null, estimateSource: 'sum', rawMinutes: 28 });
    expect(out.steps.map((s) => [s.task.title.slice(0, 7), s.estimate.realisticMinutes, s.tooBig])).toEqual([
      ['Starter', 5, false],
      ['Collect', 25, false],
      ['Draft t', 60, true],
    ]);
    expect(out.calibration).toMatchObject({ multiplier: 2.5, source: 'default', n: 0 });
    expect(out.steps[1]!.estimate.why).toContain('default: no completed estimated tasks yet');
    // energy 8: the high-energy step comes right after the starter
    expect(out.suggestedOrder).toEqual([out.steps[0]!.task.id, out.steps[2]!.task.id, out.steps[1]!.task.id]);
    expect(out.breaks).toHaveLength(1);
    const tree = await createTaskRepo(h.db).tree('ns', out.root.id);
    expect(tree.map((t) => t.position)).toEqual([0, 0, 1, 2]);
    expect(out.root.realisticMinutes).toBe(out.totalRealisticMinutes);
  });

  it('splits the text itself without steps and without sampling', async () => {
    const out = await h.svc.breakDownTask('ns', { task: 'Clean the kitchen, do the laundry, and pay the bills' });
    expect(out.source).toBe('text');
    expect(out.fallbackReason).toBeNull();
    expect(out.steps.slice(1).map((s) => [s.task.title, s.task.estimateSource, s.tooBig])).toEqual([
      ['Clean the kitchen', 'default', true],
      ['Do the laundry', 'default', true],
      ['Pay the bills', 'default', true],
    ]);
    // 10 assumed min × 2.5 + 5 = 30 realistic min: over the 25-minute line like any other step.
    expect(out.steps[1]!.splitHint).toMatch(/^no estimate given, so 10 min was assumed: 30 realistic min is more than 25: give estimate_minutes/);
  });

  it("uses the client's model when it can sample, and falls back cleanly when it cannot", async () => {
    const prompts: string[] = [];
    const model = await h.svc.breakDownTask(
      'ns',
      { task: 'Plan a trip' },
      {
        sample: async (prompt) => {
          prompts.push(prompt);
          return '[{"title":"Pick dates","estimate_minutes":5,"energy":"low"},{"title":"Book train","estimate_minutes":15}]';
        },
      },
    );
    expect(prompts[0]).toContain('Plan a trip');
    expect(model.source).toBe('model');
    expect(model.steps.slice(1).map((s) => [s.task.title, s.task.estimateSource])).toEqual([
      ['Pick dates', 'model'],
      ['Book train', 'model'],
    ]);
    const failed = await h.svc.breakDownTask(
      'ns',
      { task: 'Plan a trip and pack the bags' },
      { sample: async () => Promise.reject(new Error('user declined')) },
    );
    expect(failed).toMatchObject({ source: 'text', fallbackReason: 'sampling failed: user declined' });
    expect(failed.steps.slice(1).map((s) => s.task.title)).toEqual(['Plan a trip', 'Pack the bags']);
    const junk = await h.svc.breakDownTask('ns', { task: 'x' }, { sample: async () => 'no idea' });
    expect(junk.fallbackReason).toContain('no usable JSON');
  });

  it('attaches steps under an existing task (no second starter) and refuses closed or unknown parents', async () => {
    const first = await h.svc.breakDownTask('ns', { task: 'Report', steps: [{ title: 'Draft', estimateMinutes: 30 }] });
    const draft = first.steps[1]!.task;
    const sub = await h.svc.breakDownTask('ns', {
      task: 'Draft',
      parentTaskId: draft.id,
      steps: [
        { title: 'Intro', estimateMinutes: 5 },
        { title: 'Body', estimateMinutes: 8 },
      ],
    });
    expect(sub.root.id).toBe(draft.id);
    expect(sub.steps[0]!.task.isStarter).toBe(true); // first children of the draft step
    const more = await h.svc.breakDownTask('ns', { task: 'Draft', parentTaskId: draft.id, steps: [{ title: 'Outro', estimateMinutes: 3 }] });
    expect(more.steps.map((s) => [s.task.isStarter, s.task.position, s.task.rootId])).toEqual([[false, 3, first.root.id]]);
    await expect(h.svc.breakDownTask('ns', { task: 'x', parentTaskId: 'nope' })).rejects.toBeCairnError('NOT_FOUND', /^task_id: no task nope/);
    await h.svc.updateTask('ns', { taskId: first.steps[0]!.task.id, status: 'dropped' });
    await expect(h.svc.breakDownTask('ns', { task: 'x', parentTaskId: first.steps[0]!.task.id })).rejects.toBeCairnError(
      'CONFLICT',
      /^parent_task_id: .* is dropped/,
    );
  });

  it('checks a deadline and rejects blank tasks and future times', async () => {
    const out = await h.svc.breakDownTask('ns', { task: 'Taxes', steps: [{ title: 'Forms', estimateMinutes: 10 }], deadline: T0 + 20 * MIN });
    expect(out.deadline).toEqual({ at: T0 + 20 * MIN, minutesLeft: 20, fits: false });
    await expect(h.svc.breakDownTask('ns', { task: '   ' })).rejects.toBeCairnError('INVALID_INPUT', /^task: must not be blank/);
    await expect(h.svc.breakDownTask('ns', { task: 'x', at: T0 + 6 * MIN })).rejects.toBeCairnError('INVALID_INPUT', /^at: .* is in the future/);
    await expect(h.svc.breakDownTask('ns', { task: 'x', at: T0 + 4 * MIN })).resolves.toBeDefined();
  });
});

describe('updateTask and calibration', () => {
  it('moves parents along, records samples, completes the parent and names the next step', async () => {
    const out = await h.svc.breakDownTask('ns', {
      task: 'Report',
      steps: [
        { title: 'A', estimateMinutes: 10 },
        { title: 'B', estimateMinutes: 10 },
      ],
    });
    const [starter, a, b] = out.steps.map((s) => s.task);
    h.at(1);
    const s1 = await h.svc.updateTask('ns', { taskId: starter!.id, status: 'doing' });
    expect(s1.task).toMatchObject({ status: 'doing', startedAt: T0 + MIN });
    expect(s1.nextStep?.id).toBe(starter!.id);
    expect((await createTaskRepo(h.db).getTask('ns', out.root.id))?.status).toBe('doing');
    h.at(5);
    const s2 = await h.svc.updateTask('ns', { taskId: starter!.id, status: 'done', note: 'opened the doc' });
    expect(s2.sampleRatio).toBeNull(); // starters are not calibration samples
    expect(s2.task.notes).toEqual([{ at: T0 + 5 * MIN, text: 'opened the doc' }]);
    expect(s2.nextStep?.id).toBe(a!.id);
    const s3 = await h.svc.updateTask('ns', { taskId: a!.id, status: 'done', actualMinutes: 25 });
    expect(s3.sampleRatio).toBe(2.5);
    expect(s3.parentCompleted).toBeNull();
    const s4 = await h.svc.updateTask('ns', { taskId: b!.id, status: 'dropped' });
    expect(s4.parentCompleted?.id).toBe(out.root.id);
    expect(s4.nextStep).toBeNull();
    const reopened = await h.svc.updateTask('ns', { taskId: b!.id, status: 'todo' });
    expect(reopened.nextStep?.id).toBe(b!.id);
    expect((await createTaskRepo(h.db).getTask('ns', out.root.id))?.status).toBe('todo');
  });

  it('learns the multiplier after 5 completed estimated tasks and says so in the next breakdown', async () => {
    for (let i = 0; i < 5; i++) {
      const out = await h.svc.breakDownTask('ns', { task: `t${i}`, steps: [{ title: 'x', estimateMinutes: 10 }] });
      h.clock.advance(MIN);
      const res = await h.svc.updateTask('ns', { taskId: out.steps[1]!.task.id, status: 'done', actualMinutes: 20 });
      expect(res.calibration.source).toBe(i < 4 ? 'default' : 'learned');
    }
    const next = await h.svc.breakDownTask('ns', { task: 'next', steps: [{ title: 'y', estimateMinutes: 10 }] });
    expect(next.calibration).toMatchObject({ multiplier: 2, n: 5, source: 'learned', low: 2, high: 2 });
    expect(next.steps[1]!.estimate).toMatchObject({ multiplier: 2, realisticMinutes: 25 });
    expect(next.steps[1]!.estimate.why).toContain('learned from your last 5 tasks');
    expect((await h.svc.calibration('other')).overall.source).toBe('default');
  });

  it('validates input and keeps namespaces apart', async () => {
    const out = await h.svc.breakDownTask('a', { task: 'secret', steps: [{ title: 's' }] });
    await expect(h.svc.updateTask('b', { taskId: out.root.id, status: 'done' })).rejects.toBeCairnError('NOT_FOUND');
    await expect(h.svc.updateTask('a', { taskId: out.root.id })).rejects.toBeCairnError('INVALID_INPUT', /^update_task: give at least one of/);
    expect((await h.svc.recoverContext('b')).openTasks).toEqual([]);
  });
});

describe('configuration', () => {
  it('fails at construction on a bad multiplier or time zone', async () => {
    await expect(createHarness({ defaultMultiplier: 3.5 })).rejects.toBeCairnError('CONFIG_INVALID', /default multiplier 3.5 is out of range; use 1.5–3/);
    await expect(createHarness({ defaultMultiplier: 1.4 })).rejects.toBeCairnError('CONFIG_INVALID', /out of range/);
    await expect(createHarness({ timeZone: 'Nowhere/Land' })).rejects.toBeCairnError('CONFIG_INVALID', /unknown time zone "Nowhere\/Land"/);
    const ok = await createHarness({ defaultMultiplier: 3, rules: { maxStepMinutes: 40 } });
    expect(ok.svc.rules.maxStepMinutes).toBe(40);
    expect(ok.svc.rules.hyperfocusMinutes).toBe(90);
    ok.close();
  });
});
