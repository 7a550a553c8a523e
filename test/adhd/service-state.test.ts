import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckInMonitor } from '../../src/adhd/monitor.js';
import { createLogger } from '../../src/logger.js';
import { openEpisodeRecord } from '../helpers/records.js';
import { createHarness, type Harness, MIN, T0 } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const H = 60 * MIN;
const keys = async (ns = 'ns') => (await h.svc.checkIns(ns)).checkIns.map((c) => c.conditionKey).sort();

describe('energy', () => {
  it('logs back-filled readings and reports profiles in the configured time zone', async () => {
    h.at(3 * 24 * 60);
    for (let d = 0; d < 3; d++) {
      await h.svc.logEnergy('ns', { level: 8, attention: 'focused', at: T0 + d * 24 * H }); // 09:00 UTC
      await h.svc.logEnergy('ns', { level: 4, attention: 'scattered', at: T0 + d * 24 * H + 6 * H }); // 15:00 UTC
    }
    const rep = await h.svc.energyReport('ns');
    expect(rep.hourly).toEqual([
      { key: '9', mean: 8, n: 3 },
      { key: '15', mean: 4, n: 3 },
    ]);
    expect(rep.bestWindows[0]).toMatchObject({ startHour: 9, endHour: 10, meanLevel: 8 });
    const tokyo = await h.svc.energyReport('ns', { timeZone: 'Asia/Tokyo' });
    expect(tokyo.hourly.map((b) => b.key)).toEqual(['0', '18']);
    expect(tokyo.weekday.map((b) => b.key)).toEqual(['Mon', 'Tue', 'Wed', 'Thu']);
    expect((await h.svc.energyReport('ns', { windowDays: 1 })).n).toBe(2); // day 2 at 09:00 (inclusive) and 15:00
  });

  it('returns the report with the reading and lists steps that fit now', async () => {
    await h.svc.breakDownTask('ns', {
      task: 'Chores',
      steps: [
        { title: 'Sort mail', energy: 'low', estimateMinutes: 5 },
        { title: 'Write essay', energy: 'high', estimateMinutes: 10 },
      ],
    });
    const out = await h.svc.logEnergy('ns', { level: 3, attention: 'neutral', mood: 'tired' });
    expect(out.reading).toMatchObject({ level: 3, mood: 'tired', at: T0 });
    expect(out.report.current).toMatchObject({ level: 3, fresh: true });
    expect(out.report.fitsNow.map((t) => t.title)).toContain('Sort mail');
    expect(out.report.fitsNow.map((t) => t.title)).not.toContain('Write essay');
  });

  it('rejects bad levels, zones and windows with clear messages', async () => {
    await expect(h.svc.logEnergy('ns', { level: 11, attention: 'neutral' })).rejects.toBeCairnError('INVALID_INPUT', /^level: 11 is out of range/);
    await expect(h.svc.logEnergy('ns', { level: 2.5, attention: 'neutral' })).rejects.toBeCairnError('INVALID_INPUT', /^level/);
    await expect(h.svc.energyReport('ns', { timeZone: 'Mars/Base' })).rejects.toBeCairnError('INVALID_INPUT', /^time_zone: unknown time zone/);
    await expect(h.svc.energyReport('ns', { windowDays: 0 })).rejects.toBeCairnError('INVALID_INPUT', /^window_days: 0 is out of range/);
  });
});

describe('focus', () => {
  it('detects hyperfocus after 90 min (not at 90), and a break restarts the clock', async () => {
    const started = await h.svc.focus('ns', { action: 'start', topic: 'Refactor' });
    expect(started.message).toBe('focus started on "Refactor"');
    h.at(90);
    expect((await h.svc.focus('ns', { action: 'status' })).status).toMatchObject({ hyperfocus: false, elapsedMinutes: 90, interruptible: false });
    h.at(91);
    const st = (await h.svc.focus('ns', { action: 'status' })).status;
    expect(st).toMatchObject({ hyperfocus: true, attention: 'hyperfocus', interruptible: false });
    expect(st.suggestions[0]).toContain('91 min of focus');
    const water = await h.svc.focus('ns', { action: 'break', kind: 'water' });
    expect(water.status.hyperfocus).toBe(true);
    expect(water.message).toContain('the session continues');
    const brk = await h.svc.focus('ns', { action: 'break', kind: 'movement' });
    expect(brk.status).toMatchObject({ hyperfocus: false, continuousMinutes: 0, minutesSince: { movement: 0, water: 0, break: null, meal: null } });
    h.at(100);
    const stop = await h.svc.focus('ns', { action: 'stop' });
    expect(stop.stopped).toMatchObject({ topic: 'Refactor', minutes: 100 });
    expect(stop.status.active).toBeNull();
    expect((await h.svc.focus('ns', { action: 'stop' })).message).toBe('no focus session was running');
  });

  it('focusing on a task marks it doing; starting another stops the first', async () => {
    const plan = await h.svc.breakDownTask('ns', { task: 'Report', steps: [{ title: 'Draft', estimateMinutes: 10 }] });
    const step = plan.steps[1]!.task;
    const a = await h.svc.focus('ns', { action: 'start', taskId: step.id });
    expect(a.status.active).toMatchObject({ taskId: step.id, topic: 'Draft' });
    expect((await h.svc.recoverContext('ns')).openTasks[0]?.nextStep).toMatchObject({ id: step.id, status: 'doing' });
    h.at(30);
    const b = await h.svc.focus('ns', { action: 'start', topic: 'Email' });
    expect(b.stopped).toMatchObject({ taskId: step.id, minutes: 30 });
    expect(b.message).toBe('focus started on "Email"; stopped "Draft" after 30 min');
    await expect(h.svc.focus('ns', { action: 'start', taskId: 'missing' })).rejects.toBeCairnError('NOT_FOUND', /^task_id/);
    await expect(h.svc.focus('ns', { action: 'stop', at: T0 })).rejects.toBeCairnError('INVALID_INPUT', /^at: .* is before the running session started/);
  });

  it('interruptible when focused only at energy ≤ 3', async () => {
    await h.svc.focus('ns', { action: 'start', topic: 'x' });
    h.at(10);
    await h.svc.logEnergy('ns', { level: 4, attention: 'focused' });
    expect((await h.svc.focus('ns', { action: 'status' })).status.interruptible).toBe(false);
    await h.svc.logEnergy('ns', { level: 3, attention: 'focused' });
    expect((await h.svc.focus('ns', { action: 'status' })).status.interruptible).toBe(true);
  });
});

describe('check-ins', () => {
  it('writes one check-in per condition until it clears, then again when it returns', async () => {
    await h.svc.focus('ns', { action: 'start', topic: 'Deep work' });
    h.at(90);
    expect(await keys()).toEqual([]);
    h.at(91);
    expect(await h.svc.evaluateCheckIns('ns')).toHaveLength(1);
    h.at(100);
    expect(await h.svc.evaluateCheckIns('ns')).toHaveLength(0); // still the same condition
    expect(await keys()).toEqual(['hyperfocus']);
    await h.svc.focus('ns', { action: 'break', kind: 'movement' });
    await h.svc.focus('ns', { action: 'break', kind: 'water' });
    expect(await keys()).toEqual([]); // cleared
    h.at(100 + 91);
    const again = await h.svc.evaluateCheckIns('ns');
    expect(again.map((c) => c.conditionKey)).toEqual(['hyperfocus']);
    const history = await h.svc.checkIns('ns', { includeAcknowledged: true });
    expect(history.checkIns.map((c) => c.kind)).toEqual(['hyperfocus', 'hyperfocus']);
    expect(history.checkIns[1]!.clearedAt).toBe(T0 + 100 * MIN);
  });

  it('energy 3 raises a check-in, 4 does not; acknowledged ones are hidden but not repeated', async () => {
    await h.svc.logEnergy('ns', { level: 4, attention: 'neutral' });
    expect(await keys()).toEqual([]);
    h.at(1);
    await h.svc.logEnergy('ns', { level: 3, attention: 'neutral' });
    const list = await h.svc.checkIns('ns');
    expect(list.checkIns.map((c) => [c.kind, c.severity])).toEqual([['low_energy', 'warning']]);
    const id = list.checkIns[0]!.id;
    const ack = await h.svc.checkIns('ns', { acknowledge: [id, 'unknown-id'] });
    expect(ack.acknowledged).toEqual([id]);
    expect(ack.checkIns).toEqual([]);
    h.at(10);
    expect(await h.svc.evaluateCheckIns('ns')).toEqual([]); // acknowledged, condition still holds: no duplicate
    expect((await h.svc.checkIns('ns', { includeAcknowledged: true })).checkIns[0]).toMatchObject({ id, acknowledgedAt: T0 + MIN });
    expect((await h.svc.checkIns('ns', { since: T0 + MIN + 1, includeAcknowledged: true })).checkIns).toEqual([]);
  });

  it('flags water and movement after 120 min of focus, a stalled task and a stale episode', async () => {
    const plan = await h.svc.breakDownTask('ns', { task: 'Taxes', steps: [{ title: 'Forms', estimateMinutes: 10 }] });
    await h.svc.updateTask('ns', { taskId: plan.steps[1]!.task.id, status: 'doing' });
    await h.episodes.create(openEpisodeRecord({ id: 'ep1', namespace: 'ns', task: 'Fix login bug', taskType: 'debugging', domain: 'web', startedAt: T0 }));
    h.at(60);
    await h.svc.focus('ns', { action: 'start', topic: 'Other' });
    h.at(150);
    await h.svc.focus('ns', { action: 'break', kind: 'break' });
    h.at(180);
    expect(await keys()).toEqual([`stalled_task:${plan.steps[1]!.task.id}`]);
    h.at(181);
    expect(await keys()).toEqual(['no_movement', 'no_water', `stalled_task:${plan.steps[1]!.task.id}`]);
    h.at(241);
    expect(await keys()).toContain('stale_episode:ep1');
    await h.episodes.appendStep('ns', 'ep1', {
      tool: 'bash',
      action: 'ran tests',
      parameters: {},
      result: { type: 'success' },
      latencyMs: 5,
      at: h.clock.now(),
    });
    expect(await keys()).not.toContain('stale_episode:ep1');
  });
});

describe('check-in monitor', () => {
  it('ticks every namespace, reports new check-ins once and survives failures', async () => {
    const seen: string[] = [];
    const lines: string[] = [];
    const monitor = createCheckInMonitor({
      service: h.svc,
      clock: h.clock,
      intervalMs: 20 * MIN,
      listNamespaces: () => h.svc.namespaces(),
      onCheckIn: (ns, c) => {
        seen.push(`${ns}:${c.kind}`);
        if (ns === 'b') throw new Error('client gone');
      },
      logger: createLogger('debug', (l) => lines.push(l)),
    });
    await h.svc.logEnergy('a', { level: 2, attention: 'depleted' });
    await h.svc.logEnergy('b', { level: 1, attention: 'depleted' });
    await h.episodes.create(
      openEpisodeRecord({
        id: 'ep-c',
        namespace: 'c',
        task: 'Only an episode here',
        taskType: 'analysis',
        domain: 'x',
        complexity: 'simple',
        startedAt: T0 - 5 * H,
      }),
    );
    expect(await h.svc.namespaces()).toEqual(['a', 'b', 'c']);
    const first = await monitor.tick();
    expect(first.map((x) => x.namespace)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual(['a:low_energy', 'b:low_energy', 'c:stale_episode']);
    expect(lines.some((l) => l.includes('onCheckIn failed'))).toBe(true);
    expect(await monitor.tick()).toEqual([]);
    monitor.start();
    expect(monitor.running).toBe(true);
    monitor.start();
    monitor.stop();
    expect(monitor.running).toBe(false);
  });

  it('logs a failing namespace and carries on', async () => {
    const lines: string[] = [];
    const monitor = createCheckInMonitor({
      service: { evaluateCheckIns: async (ns) => (ns === 'bad' ? Promise.reject(new Error('boom')) : h.svc.evaluateCheckIns(ns)) },
      clock: h.clock,
      listNamespaces: () => ['bad', 'ns'],
      logger: createLogger('debug', (l) => lines.push(l)),
    });
    await h.svc.logEnergy('ns', { level: 1, attention: 'depleted' });
    const out = await monitor.tick();
    expect(out.map((x) => x.namespace)).toEqual(['ns']);
    expect(lines.some((l) => l.includes('evaluation failed'))).toBe(true);
    const disabled = createCheckInMonitor({ service: h.svc, clock: h.clock, intervalMs: 0, listNamespaces: () => [] });
    disabled.start();
    expect(disabled.running).toBe(false);
  });
});

describe('recoverContext', () => {
  it('answers "where was I?" with focus, time away, tasks, episodes, memories, energy and a next action', async () => {
    const plan = await h.svc.breakDownTask('ns', {
      task: 'Report',
      steps: [
        { title: 'Draft', estimateMinutes: 10 },
        { title: 'Edit', estimateMinutes: 5 },
      ],
    });
    await h.svc.updateTask('ns', { taskId: plan.steps[0]!.task.id, status: 'done' });
    await h.svc.focus('ns', { action: 'start', taskId: plan.steps[1]!.task.id });
    h.at(40);
    await h.svc.focus('ns', { action: 'stop' });
    await h.svc.logEnergy('ns', { level: 6, attention: 'neutral' });
    await h.memories.insert({
      id: 'm1',
      namespace: 'ns',
      content: 'The report template is in Drive/Reports. '.repeat(10),
      kind: 'note',
      tags: [],
      importance: 0.5,
      occurredAt: null,
      source: null,
      metadata: {},
      contentHash: 'h1',
      createdAt: T0 + 41 * MIN,
      updatedAt: T0 + 41 * MIN,
      deletedAt: null,
      deletedReason: null,
    });
    h.at(41 + 95);
    const ctx = await h.svc.recoverContext('ns');
    expect(ctx.focus).toMatchObject({ active: false, minutes: 40, session: { topic: 'Draft' } });
    expect(ctx.minutesAway).toBe(95);
    expect(ctx.openTasks).toHaveLength(1);
    expect(ctx.openTasks[0]).toMatchObject({ task: { title: 'Report', status: 'doing' }, nextStep: { title: 'Draft', status: 'doing' }, done: 1, total: 3 });
    expect(ctx.recentMemories[0]!.content.length).toBeLessThanOrEqual(280);
    expect(ctx.memoryCount).toBe(1);
    expect(ctx.energy?.level).toBe(6);
    expect(ctx.suggestedNextAction).toBe('Resume "Report": next step "Draft".');
  });

  it('suggests planning in an empty namespace', async () => {
    const ctx = await h.svc.recoverContext('empty');
    expect(ctx).toMatchObject({ focus: null, minutesAway: null, openTasks: [], openEpisodes: [], recentMemories: [], energy: null, checkIns: [] });
    expect(ctx.suggestedNextAction).toContain('break_down_task');
  });
});
