import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
afterEach(async () => {
  await s.close();
});

describe('ADHD prompts, check-ins resource and notifications', () => {
  it('lists the six persona prompts and renders one with its arguments', async () => {
    s = await startTestServer();
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['anchor', 'archive', 'entropy', 'flux', 'momentum', 'pattern']);
    const got = await s.client.getPrompt({ name: 'pattern', arguments: { goal: 'finish the tax forms' } });
    const text = (got.messages[0]!.content as { text: string }).text;
    expect(text).toMatch(/recover_context/);
    expect(text).toMatch(/finish the tax forms/);
  });

  it('relays a monitor check-in as a log notification and a resource update to a subscribed client', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 3, 9, 0, 0));
    s = await startTestServer({ clock });
    const logs: unknown[] = [];
    const updates: string[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    s.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await s.client.subscribeResource({ uri: 'cairn://check-ins' });

    await s.call('focus', { action: 'start', topic: 'deep work' });
    clock.advance(91 * 60_000);
    const fresh = await s.app.monitor.tick();
    expect(fresh.map((f) => f.checkIn.kind)).toContain('hyperfocus');
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.stringify(logs)).toMatch(/hyperfocus/);
    expect(updates).toContain('cairn://check-ins');

    const res = await s.client.readResource({ uri: 'cairn://check-ins' });
    const list = JSON.parse((res.contents[0] as { text: string }).text);
    expect(list.map((c: { kind: string }) => c.kind)).toContain('hyperfocus');

    // no duplicate for the same condition until it clears
    clock.advance(20 * 60_000);
    expect((await s.app.monitor.tick()).filter((f) => f.checkIn.kind === 'hyperfocus')).toHaveLength(0);
  });

  it('does not relay another namespace’s check-ins', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 3, 9, 0, 0));
    s = await startTestServer({ clock, namespace: 'mine' });
    const logs: unknown[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    await s.app.adhd.focus('theirs', { action: 'start', topic: 'not yours' });
    clock.advance(95 * 60_000);
    const fresh = await s.app.monitor.tick();
    expect(fresh.some((f) => f.namespace === 'theirs')).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(logs).toHaveLength(0);
  });
});
