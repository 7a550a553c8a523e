import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { ALL_TOOLS } from '../../tools/index.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;
const isoAt = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});
async function start(sample?: (prompt: string) => string | Promise<string>) {
  const clock = createManualClock(T0);
  srv = await startTestServer({ clock, env: { CAIRN_TOOLSETS: 'adhd' }, ...(sample ? { sample } : {}) });
  await srv.client.listTools(); // lets the client validate structuredContent against each output schema
  return { s: srv, clock };
}

describe('ADHD tools over MCP', () => {
  it('lists all seven tools with descriptions, output schemas and annotations', async () => {
    const { s } = await start();
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'break_down_task',
      'energy_report',
      'focus',
      'get_check_ins',
      'log_energy',
      'recover_context',
      'update_task',
    ]);
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(80);
      expect(t.outputSchema).toBeDefined();
      expect(t.annotations).toMatchObject({ destructiveHint: false });
    }
    expect(tools.find((t) => t.name === 'energy_report')?.annotations?.readOnlyHint).toBe(true);
    expect(
      ALL_TOOLS.filter((t) => t.toolset === 'adhd')
        .map((t) => t.name)
        .sort(),
    ).toEqual(tools.map((t) => t.name).sort());
  });

  it('break_down_task: client steps get a starter, realistic minutes, flags and the multiplier used', async () => {
    const { s } = await start();
    const out = await s.call('break_down_task', {
      task: 'Write the grant report',
      steps: [
        { title: 'Collect figures', estimate_minutes: 8, energy: 'low' },
        { title: 'Draft narrative', estimate_minutes: 30, energy: 'high', needs_focus: true },
      ],
      energy_now: 2,
      deadline: isoAt(60),
    });
    expect(out.source).toBe('client');
    expect(out.steps.map((x) => [x.is_starter, x.raw_minutes, x.realistic_minutes, x.too_big])).toEqual([
      [true, 5, 5, false],
      [false, 8, 25, false],
      [false, 30, 90, true],
    ]);
    expect(out.steps[2]!.split_hint).toContain('parent_task_id');
    expect(out.calibration).toMatchObject({ multiplier: 2.5, n: 0, source: 'default', interval: null });
    expect(out.suggested_order).toEqual([out.steps[0]!.id, out.steps[1]!.id, out.steps[2]!.id]);
    expect(out.order_why).toContain('energy 2/10 (low)');
    expect(out.deadline).toMatchObject({ minutes_left: 60, fits: false });
    expect(out.task).toMatchObject({ title: 'Write the grant report', estimate_source: 'sum', deadline: isoAt(60) });
  });

  it("break_down_task: splits text without sampling, uses the client's model with it, and falls back when the model fails", async () => {
    {
      const { s } = await start();
      const out = await s.call('break_down_task', { task: 'Email the landlord and book the plumber' });
      expect(out.source).toBe('text');
      expect(out.steps.slice(1).map((x) => x.title)).toEqual(['Email the landlord', 'Book the plumber']);
      await s.close();
      srv = null;
    }
    {
      const prompts: string[] = [];
      const { s } = await start((p) => {
        prompts.push(p);
        return '```json\n[{"title":"Find the lease","estimate_minutes":3,"energy":"low"},{"title":"Call the plumber","estimate_minutes":10}]\n```';
      });
      const out = await s.call('break_down_task', { task: 'Sort out the leak' });
      expect(prompts[0]).toContain('Sort out the leak');
      expect(out).toMatchObject({ source: 'model', fallback_reason: null });
      expect(out.steps.slice(1).map((x) => [x.title, x.estimate_source])).toEqual([
        ['Find the lease', 'model'],
        ['Call the plumber', 'model'],
      ]);
      const noModel = await s.call('break_down_task', { task: 'Water plants and feed the cat', use_model: false });
      expect(noModel.source).toBe('text');
      await s.close();
      srv = null;
    }
    {
      const { s } = await start(() => {
        throw new Error('sampling refused by user');
      });
      const out = await s.call('break_down_task', { task: 'Clean the flat' });
      expect(out.source).toBe('text');
      expect(out.fallback_reason).toMatch(/^sampling failed: .*sampling refused by user/);
    }
  });

  it('break_down_task: invalid input is rejected with the field named', async () => {
    const { s } = await start();
    expect(await s.callError('break_down_task', { task: 'x', energy_now: 11 })).toMatch(/energy_now/);
    expect(await s.callError('break_down_task', { task: 'x', steps: [{ title: 'a', estimate_minutes: 0 }] })).toMatch(/estimate_minutes/);
    expect(await s.callError('break_down_task', { task: 'x', parent_task_id: 'nope' })).toBeCairnError('NOT_FOUND', /^task_id: no task nope/);
    expect(await s.callError('break_down_task', { task: 'x', at: 'yesterday' })).toMatch(/ISO-8601/);
  });

  it('update_task: records actual minutes as a calibration sample and moves the tree along', async () => {
    const { s, clock } = await start();
    const plan = await s.call('break_down_task', { task: 'Taxes', steps: [{ title: 'Find forms', estimate_minutes: 10 }] });
    const step = plan.steps[1];
    clock.advance(30 * MIN);
    const out = await s.call('update_task', { task_id: step!.id, status: 'done', actual_minutes: 24, note: 'took longer than hoped' });
    expect(out.task).toMatchObject({ status: 'done', actual_minutes: 24, completed_at: isoAt(30), notes: [{ at: isoAt(30), text: 'took longer than hoped' }] });
    expect(out.sample_ratio).toBe(2.4);
    // finishing the only real step also closes the starter, so the whole task is done
    expect(out.next_step).toBeNull();
    expect(out.parent_completed).toMatchObject({ id: plan.task.id, title: 'Taxes', status: 'done' });
    expect(out.calibration).toMatchObject({ source: 'default', n: 1 });
    expect(await s.callError('update_task', { task_id: 'nope', status: 'done' })).toBeCairnError('NOT_FOUND');
    expect(await s.callError('update_task', { task_id: step!.id, status: 'finished' })).toMatch(/status/);
  });

  it('log_energy: energy 3 is low and 4 is not; past times back-fill, future ones are refused', async () => {
    const { s } = await start();
    expect((await s.call('log_energy', { level: 4, attention: 'neutral' })).low_energy).toBe(false);
    const low = await s.call('log_energy', { level: 3, attention: 'scattered', mood: 'foggy', at: isoAt(-30) });
    expect(low).toMatchObject({ low_energy: true, reading: { level: 3, attention: 'scattered', mood: 'foggy', at: isoAt(-30) } });
    expect(low.trend.direction).toBe('insufficient_data');
    expect(await s.callError('log_energy', { level: 5, attention: 'neutral', at: isoAt(10) })).toBeCairnError('INVALID_INPUT', /^at: .* is in the future/);
    expect(await s.callError('log_energy', { level: 5, attention: 'sleepy' })).toMatch(/attention/);
  });

  it('energy_report: profiles in the requested time zone, best windows, fits_now', async () => {
    const { s, clock } = await start();
    clock.set(T0 + 3 * 24 * 60 * MIN);
    for (let d = 0; d < 3; d++) {
      await s.call('log_energy', { level: 8, attention: 'flow', at: new Date(T0 + d * 24 * 60 * MIN).toISOString() });
      await s.call('log_energy', { level: 3, attention: 'depleted', at: new Date(T0 + (d * 24 * 60 + 360) * MIN).toISOString() });
    }
    const rep = await s.call('energy_report', { window_days: 7 });
    expect(rep.hourly).toEqual([
      { hour: 9, mean: 8, n: 3 },
      { hour: 15, mean: 3, n: 3 },
    ]);
    expect(rep.best_focus_windows[0]).toMatchObject({ label: '09:00–10:00', mean_level: 8, focus_share: 1 });
    const ny = await s.call('energy_report', { time_zone: 'America/New_York' });
    expect(ny.time_zone).toBe('America/New_York');
    expect(ny.hourly.map((b) => b.hour)).toEqual([4, 10]);
    expect(await s.callError('energy_report', { time_zone: 'Moon/Base' })).toBeCairnError('INVALID_INPUT', /^time_zone: unknown time zone/);
  });

  it('focus: 90 minutes is not hyperfocus, 91 is; a movement break restarts the clock; interruptibility follows', async () => {
    const { s, clock } = await start();
    const started = await s.call('focus', { action: 'start', topic: 'Refactor parser' });
    expect(started.status).toMatchObject({ active: { topic: 'Refactor parser' }, hyperfocus: false, attention: 'focused', interruptible: false });
    clock.advance(90 * MIN);
    expect((await s.call('focus', { action: 'status' })).status.hyperfocus).toBe(false);
    clock.advance(MIN);
    const hyper = await s.call('focus', { action: 'status' });
    expect(hyper.status).toMatchObject({ hyperfocus: true, continuous_minutes: 91, interruptible: false, attention: 'hyperfocus' });
    const brk = await s.call('focus', { action: 'break', kind: 'movement' });
    expect(brk.status).toMatchObject({ hyperfocus: false, minutes_since: { movement: 0 } });
    const stop = await s.call('focus', { action: 'stop', at: isoAt(95) });
    expect(stop.stopped).toMatchObject({ topic: 'Refactor parser', minutes: 95, ended_at: isoAt(95) });
    expect(await s.callError('focus', { action: 'break', kind: 'nap' })).toMatch(/kind/);
  });

  it('get_check_ins: evaluates at call time, does not repeat, and acknowledges', async () => {
    const { s, clock } = await start();
    await s.call('focus', { action: 'start', topic: 'Deep work' });
    clock.advance(91 * MIN);
    const first = await s.call('get_check_ins');
    expect(first.check_ins.map((c) => c.kind)).toEqual(['hyperfocus']);
    const id = first.check_ins[0]!.id;
    clock.advance(5 * MIN);
    expect((await s.call('get_check_ins')).check_ins.map((c) => c.id)).toEqual([id]);
    const ack = await s.call('get_check_ins', { acknowledge: [id] });
    expect(ack).toMatchObject({ check_ins: [], acknowledged: [id] });
    const history = await s.call('get_check_ins', { include_acknowledged: true, since: isoAt(0) });
    expect(history.check_ins[0]).toMatchObject({ id, acknowledged_at: isoAt(96), cleared_at: null });
  });

  it('recover_context: where was I?', async () => {
    const { s, clock } = await start();
    const plan = await s.call('break_down_task', {
      task: 'Report',
      steps: [
        { title: 'Outline', estimate_minutes: 5 },
        { title: 'Draft', estimate_minutes: 10 },
      ],
    });
    await s.call('update_task', { task_id: plan.steps[0]!.id, status: 'done' });
    await s.call('focus', { action: 'start', task_id: plan.steps[1]!.id });
    clock.advance(25 * MIN);
    await s.call('focus', { action: 'stop' });
    await s.call('log_energy', { level: 5, attention: 'neutral' });
    clock.advance(120 * MIN);
    const ctx = await s.call('recover_context');
    expect(ctx.focus).toMatchObject({ topic: 'Outline', active: false, minutes: 25 });
    expect(ctx.minutes_away).toBe(120);
    expect(ctx.open_tasks[0]).toMatchObject({
      task: { title: 'Report', status: 'doing' },
      next_step: { title: 'Outline', status: 'doing' },
      done: 1,
      total: 3,
    });
    expect(ctx.energy).toMatchObject({ level: 5 });
    expect(ctx.check_ins).toEqual([]);
    expect(ctx.suggested_next_action).toBe('Resume "Report": next step "Outline".');
  });
});
