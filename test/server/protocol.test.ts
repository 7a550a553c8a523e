import { McpError, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

/** The JSON-RPC error code a request failed with. */
async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof McpError) return err.code;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('capabilities', () => {
  it('advertises no list_changed notifications, since none is ever sent', async () => {
    s = await startTestServer();
    const caps = s.client.getServerCapabilities()!;
    expect(caps.tools).toBeDefined();
    expect(caps.tools?.listChanged).toBeFalsy();
    expect(caps.prompts?.listChanged).toBeFalsy();
    expect(caps.resources).toEqual({ subscribe: true });
    expect(caps.completions).toEqual({});
  });

  it('with only the memory toolset, advertises the memories resource and its completions, no prompts', async () => {
    s = await startTestServer({ env: { CAIRN_TOOLSETS: 'memory' } });
    const caps = s.client.getServerCapabilities()!;
    expect(caps.resources).toEqual({ subscribe: true });
    expect(caps.prompts).toBeUndefined();
    expect(caps.completions).toEqual({});
    expect(caps.tools).toBeDefined();
    expect(await codeOf(s.client.subscribeResource({ uri: 'cairn://check-ins' }))).toBe(-32002);
    expect(await codeOf(s.client.listPrompts())).toBe(-32601);
    expect((await s.client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toEqual(['cairn://memories/{id}']);
  });

  it('with neither memory, episodes nor adhd, advertises no resources, prompts or completions (and none answer)', async () => {
    s = await startTestServer({ env: { CAIRN_TOOLSETS: 'ops' } });
    const caps = s.client.getServerCapabilities()!;
    expect(caps.resources).toBeUndefined();
    expect(caps.prompts).toBeUndefined();
    expect(caps.completions).toBeUndefined();
    expect(await codeOf(s.client.listResources())).toBe(-32601);
  });
});

describe('resources', () => {
  it('subscribes only to Cairn resources that send updates', async () => {
    s = await startTestServer();
    expect(await codeOf(s.client.subscribeResource({ uri: 'file:///etc/passwd' }))).toBe(-32002);
    expect(await codeOf(s.client.subscribeResource({ uri: 'cairn://episodes/nope' }))).toBe(-32002);
    const { episode_id } = await s.call('start_episode', { task: 'Ship it', task_type: 'release', domain: 'ops' });
    expect(await codeOf(s.client.subscribeResource({ uri: `cairn://episodes/${episode_id}` }))).toBe(-32602);
    await expect(s.client.subscribeResource({ uri: 'cairn://check-ins' })).resolves.toEqual({});
    await expect(s.client.unsubscribeResource({ uri: 'cairn://check-ins' })).resolves.toEqual({});
  });

  it('reading an unknown episode or URI is resource-not-found (-32002) with the URI', async () => {
    s = await startTestServer();
    const err = await s.client.readResource({ uri: 'cairn://episodes/0190-missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(-32002);
    expect((err as McpError).data).toEqual({ uri: 'cairn://episodes/0190-missing' });
    expect(await codeOf(s.client.readResource({ uri: 'cairn://nothing-here' }))).toBe(-32002);
    const { episode_id } = await s.call('start_episode', { task: 'Ship it', task_type: 'release', domain: 'ops' });
    const read = await s.client.readResource({ uri: `cairn://episodes/${episode_id}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: episode_id, task: 'Ship it' });
  });

  it('lists the check-ins and every episode, newest first, in pages with cursors', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    s = await startTestServer({ clock });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      clock.advance(1_000);
      ids.push((await s.call('start_episode', { task: `Task ${i}`, task_type: 'chore', domain: 'home' })).episode_id);
    }
    const first = await s.client.listResources();
    expect(first.resources[0]).toMatchObject({ uri: 'cairn://check-ins', name: 'check-ins' });
    expect(first.resources).toHaveLength(50);
    expect(first.nextCursor).toBeTruthy();
    const second = await s.client.listResources({ cursor: first.nextCursor! });
    expect(second.nextCursor).toBeUndefined();
    const listed = [...first.resources, ...second.resources].filter((r) => r.uri.startsWith('cairn://episodes/'));
    expect(listed.map((r) => r.uri)).toEqual(ids.reverse().map((id) => `cairn://episodes/${id}`));
    expect(listed[0]).toMatchObject({ name: 'Task 59', mimeType: 'application/json' });
    expect(await codeOf(s.client.listResources({ cursor: 'not-a-cursor' }))).toBe(-32602);
    const { resourceTemplates } = await s.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['cairn://memories/{id}', 'cairn://episodes/{id}']);
  });

  it('lists visible memories newest first, reads any memory, and answers -32002 for an unknown one', async () => {
    const clock = createManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    s = await startTestServer({ clock, env: { CAIRN_TOOLSETS: 'memory' } });
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      clock.advance(60_000);
      ids.push((await s.call('remember', { content: `Memory number ${i}` })).id);
    }
    const fix = await s.call('remember', { content: 'Memory number 54, corrected', supersedes: [ids[54]] });
    const first = await s.client.listResources();
    const second = await s.client.listResources({ cursor: first.nextCursor! });
    const listed = [...first.resources, ...second.resources].map((r) => r.uri);
    expect(listed).toEqual([fix.id, ...ids.slice(0, 54).reverse()].map((id) => `cairn://memories/${id}`));
    expect(first.resources[0]).toMatchObject({ name: 'Memory number 54, corrected', mimeType: 'application/json' });
    const hidden = JSON.parse(((await s.client.readResource({ uri: `cairn://memories/${ids[54]}` })).contents[0] as { text: string }).text);
    expect(hidden).toMatchObject({ memory: { status: 'superseded', superseded_by: fix.id }, superseded_by: { id: fix.id } });
    const err = await s.client.readResource({ uri: 'cairn://memories/0190-missing' }).catch((e: unknown) => e);
    expect((err as McpError).code).toBe(-32002);
    const ref = { type: 'ref/resource' as const, uri: 'cairn://memories/{id}' };
    expect((await s.client.complete({ ref, argument: { name: 'id', value: ids[3]! } })).completion.values).toEqual([ids[3]]);
  });
});

describe('completion/complete', () => {
  it('completes persona names, energy levels and open task ids and titles for the prompts', async () => {
    s = await startTestServer();
    const complete = async (name: string, arg: string, value: string) =>
      (await s!.client.complete({ ref: { type: 'ref/prompt', name }, argument: { name: arg, value } })).completion.values;
    expect(await complete('pattern', 'persona', 'a')).toEqual(['archive', 'anchor']);
    expect(await complete('pattern', 'persona', '')).toEqual(['entropy', 'flux', 'archive', 'momentum', 'anchor']);
    expect(await complete('entropy', 'energy', '1')).toEqual(['1', '10']);
    expect(await complete('momentum', 'level', '')).toHaveLength(10);
    const plan = await s.call('break_down_task', { task: 'Renew the passport', steps: [{ title: 'Find the old passport', estimate_minutes: 5 }] });
    const step = plan.steps[1]!;
    expect(await complete('flux', 'task_id', step.id.slice(0, 20))).toContain(step.id);
    expect(await complete('flux', 'task', 'passport')).toEqual(expect.arrayContaining(['Find the old passport', 'Renew the passport']));
    expect(await complete('archive', 'topic', 'x')).toEqual([]);
    expect(await codeOf(s.client.complete({ ref: { type: 'ref/prompt', name: 'nobody' }, argument: { name: 'x', value: '' } }))).toBe(-32602);
    const rendered = await s.client.getPrompt({ name: 'flux', arguments: { task_id: step.id } });
    expect((rendered.messages[0]!.content as { text: string }).text).toContain(`Task id (for focus and update_task): ${step.id}`);
  });

  it('completes recent episode ids for cairn://episodes/{id}', async () => {
    s = await startTestServer();
    const a = (await s.call('start_episode', { task: 'A', task_type: 't', domain: 'd' })).episode_id;
    const b = (await s.call('start_episode', { task: 'B', task_type: 't', domain: 'd' })).episode_id;
    const ref = { type: 'ref/resource' as const, uri: 'cairn://episodes/{id}' };
    const all = await s.client.complete({ ref, argument: { name: 'id', value: '' } });
    expect(all.completion.values).toEqual([b, a]);
    const one = await s.client.complete({ ref, argument: { name: 'id', value: a } });
    expect(one.completion.values).toEqual([a]);
    expect(await codeOf(s.client.complete({ ref: { type: 'ref/resource', uri: 'cairn://nope/{id}' }, argument: { name: 'id', value: '' } }))).toBe(-32602);
  });
});

describe('progress notifications', () => {
  it('a sandbox run longer than a second reports progress against its deadline', async () => {
    s = await startTestServer();
    const seen: Progress[] = [];
    const res = await s.client.callTool(
      {
        name: 'execute_agent_code',
        arguments: { code: 'const t = Date.now(); while (Date.now() - t < 2500) {} "done"', context: { task: 'wait' }, limits: { timeout_ms: 10_000 } },
      },
      undefined,
      { onprogress: (p) => void seen.push(p) },
    );
    expect(res.structuredContent).toMatchObject({ status: 'success', result: 'done' });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toMatchObject({ total: 10_000 });
    expect(seen[0]!.message).toMatch(/^script running for \d+ s$/);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });

  it('an analysis reports each finished part', async () => {
    s = await startTestServer();
    const seen: Progress[] = [];
    const series = Object.fromEntries(['a', 'b', 'c'].map((k, j) => [k, Array.from({ length: 200 }, (_, i) => Math.sin(i / (5 + j)) + i / 100)]));
    await s.client.callTool({ name: 'advanced_pattern_analysis', arguments: { analysis_type: 'comprehensive', time_series_data: series } }, undefined, {
      onprogress: (p) => void seen.push(p),
    });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]).toMatchObject({ progress: 1, total: 5, message: 'series "a" analysed' });
  });

  it('break_down_task reports while it waits for the client model', async () => {
    s = await startTestServer({
      sample: async () => {
        await new Promise((r) => setTimeout(r, 1_600));
        return '[{"title":"Pick dates","estimate_minutes":5}]';
      },
    });
    const seen: Progress[] = [];
    const res = await s.client.callTool({ name: 'break_down_task', arguments: { task: 'Plan a trip' } }, undefined, { onprogress: (p) => void seen.push(p) });
    expect(res.structuredContent).toMatchObject({ source: 'model' });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen[0]!.message).toMatch(/^waiting for your model's breakdown/);
  });

  it('sends nothing when the client asked for no progress', async () => {
    s = await startTestServer();
    const res = await s.client.callTool({
      name: 'advanced_pattern_analysis',
      arguments: { analysis_type: 'statistical', time_series_data: { a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } },
    });
    expect(res.isError).toBeFalsy();
  });
});
