import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;
const isoAt = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

let s: TestServer | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

async function start(env: Record<string, string> = {}) {
  const clock = createManualClock(T0);
  s = await startTestServer({ clock, env });
  await s.client.listTools(); // lets the client check structuredContent against each output schema
  return { s, clock, at: (minutes: number) => clock.set(T0 + minutes * MIN) };
}

describe('focus sessions do not go stale', () => {
  it('a focus started yesterday and never touched again is over today: no 1,500-minute streak, time away counts', async () => {
    const { s, at } = await start();
    await s.call('focus', { action: 'start', topic: 'Write the report' });
    at(25 * 60);
    const ctx = await s.call('recover_context');
    expect(ctx.focus).toMatchObject({ topic: 'Write the report', active: false, minutes: 0, ended_at: isoAt(0) });
    expect(ctx.minutes_away).toBe(1500);
    expect(ctx.last_activity_at).toBe(isoAt(0));
    expect(ctx.check_ins.map((c) => c.kind)).toEqual([]);
    expect(ctx.suggested_next_action).toBe('Nothing is open. Plan the next thing with break_down_task, or log_energy to check in.');
    const status = await s.call('focus', { action: 'status' });
    expect(status.status.active).toBeNull();
    expect(status.message).toBe('no focus session running');
  });

  it('closes a session at its last activity after the configured quiet time, and keeps it while anything happens', async () => {
    const { s, at } = await start({ CAIRN_FOCUS_IDLE_MINUTES: '30' });
    await s.call('focus', { action: 'start', topic: 'Deep work' });
    at(20);
    await s.call('log_energy', { level: 7, attention: 'focused' });
    at(45);
    expect((await s.call('focus', { action: 'status' })).status.active).toMatchObject({ topic: 'Deep work', ended_at: null });
    at(51);
    const status = await s.call('focus', { action: 'status' });
    expect(status.status.active).toBeNull();
    expect(status.message).toMatch(/"Deep work" had no activity for over 30 min and was closed at its last activity \(20 min\)/);
    const ctx = await s.call('recover_context');
    expect(ctx.focus).toMatchObject({ active: false, minutes: 20, ended_at: isoAt(20) });
    expect(ctx.minutes_away).toBe(31);
  });

  it('a quiet stretch in the middle ends the session even when work resumed later, and writes revive nothing', async () => {
    const { s, at } = await start();
    await s.call('focus', { action: 'start', topic: 'Yesterday' });
    at(3 * 60);
    await s.call('remember', { content: 'Back at the desk after lunch' });
    at(3 * 60 + 10);
    const ctx = await s.call('recover_context');
    expect(ctx.focus).toMatchObject({ topic: 'Yesterday', active: false, minutes: 0 });
    expect(ctx.minutes_away).toBe(10);
    expect(ctx.check_ins.map((c) => c.kind)).not.toContain('hyperfocus');
  });

  it('minutes_away is the time since the last activity even while a session runs', async () => {
    const { s, at } = await start();
    await s.call('focus', { action: 'start', topic: 'Inbox' });
    at(40);
    const ctx = await s.call('recover_context');
    expect(ctx.focus).toMatchObject({ active: true, minutes: 40 });
    expect(ctx.minutes_away).toBe(40);
  });
});

describe('focus follows the work', () => {
  it('marking the focused step done moves focus to the next open step, and stops it when nothing is left', async () => {
    const { s, at } = await start();
    const plan = await s.call('break_down_task', {
      task: 'Tidy the flat',
      steps: [
        { title: 'Clean the kitchen', estimate_minutes: 5 },
        { title: 'Do the laundry', estimate_minutes: 5 },
      ],
    });
    const [starter, kitchen, laundry] = plan.steps;
    await s.call('focus', { action: 'start', task_id: starter!.id });
    at(4);
    const done = await s.call('update_task', { task_id: starter!.id, status: 'done', actual_minutes: 4 });
    expect(done.focus).toBe('focus moved to "Clean the kitchen"');
    expect(done.next_step).toMatchObject({ id: kitchen!.id, status: 'doing' });
    const status = await s.call('focus', { action: 'status' });
    expect(status.status.active).toMatchObject({ task_id: kitchen!.id, topic: 'Clean the kitchen', started_at: isoAt(4) });
    at(10);
    const ctx = await s.call('recover_context');
    expect(ctx.suggested_next_action).toBe('Carry on with "Clean the kitchen" (focused for 6 min).');

    expect((await s.call('update_task', { task_id: kitchen!.id, status: 'done' })).focus).toBe('focus moved to "Do the laundry"');
    at(20);
    const last = await s.call('update_task', { task_id: laundry!.id, status: 'done' });
    expect(last.focus).toBe('focus on "Do the laundry" stopped: nothing is left to do here');
    expect(last.parent_completed).toMatchObject({ title: 'Tidy the flat', status: 'done' });
    expect((await s.call('focus', { action: 'status' })).status.active).toBeNull();
  });

  it('closing a step that is not in focus leaves the session alone', async () => {
    const { s } = await start();
    const plan = await s.call('break_down_task', {
      task: 'Two things',
      steps: [
        { title: 'One', estimate_minutes: 3 },
        { title: 'Two', estimate_minutes: 3 },
      ],
    });
    await s.call('focus', { action: 'start', task_id: plan.steps[2]!.id });
    const out = await s.call('update_task', { task_id: plan.steps[1]!.id, status: 'done' });
    expect(out.focus).toBeNull();
    expect((await s.call('focus', { action: 'status' })).status.active).toMatchObject({ task_id: plan.steps[2]!.id });
  });
});

describe('breakdown without estimates', () => {
  it('checks an assumed estimate against the 25-minute split rule too', async () => {
    const { s } = await start();
    const out = await s.call('break_down_task', { task: 'Clean the kitchen, do the laundry, and pay the bills' });
    const steps = out.steps.filter((x) => !x.is_starter);
    expect(steps.map((x) => [x.title, x.estimate_source, x.realistic_minutes, x.too_big])).toEqual([
      ['Clean the kitchen', 'default', 30, true],
      ['Do the laundry', 'default', 30, true],
      ['Pay the bills', 'default', 30, true],
    ]);
    expect(steps[0]!.split_hint).toMatch(/no estimate given, so 10 min was assumed/);
  });
});

describe('check-in notifications', () => {
  it('check-ins raised by a call notify subscribers, as log messages and a resource update', async () => {
    const { s, at } = await start();
    const logs: unknown[] = [];
    const updates: string[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    s.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await s.client.subscribeResource({ uri: 'cairn://check-ins' });
    await s.call('focus', { action: 'start', topic: 'deep work' });
    at(91);
    const got = await s.call('get_check_ins');
    expect(got.check_ins.map((c) => c.kind)).toEqual(['hyperfocus']);
    await s.client.ping();
    expect(updates).toEqual(['cairn://check-ins']);
    expect(JSON.stringify(logs)).toMatch(/hyperfocus/);

    await s.call('log_energy', { level: 2, attention: 'depleted' });
    await s.call('recover_context');
    await s.client.ping();
    expect(updates).toEqual(['cairn://check-ins', 'cairn://check-ins']);
    expect(JSON.stringify(logs)).toMatch(/low_energy/);
  });

  it('one monitor run sends one resource update however many check-ins it raised', async () => {
    const { s, at } = await start();
    const logs: unknown[] = [];
    const updates: string[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    s.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await s.client.subscribeResource({ uri: 'cairn://check-ins' });
    await s.call('log_energy', { level: 2, attention: 'depleted' });
    await s.call('focus', { action: 'start', topic: 'deep work' });
    at(95);
    const raised = await s.app.monitor.tick();
    expect(raised.map((r) => r.checkIn.kind).sort()).toEqual(['hyperfocus', 'low_energy']);
    await s.client.ping();
    expect(updates).toEqual(['cairn://check-ins']);
    expect(logs).toHaveLength(2);
  });
});
