import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
  ['wrong type', 'remember', { content: 42 }, /content/],
  ['missing field', 'remember', {}, /content/],
  ['oversized string', 'remember', { content: 'x'.repeat(20_001) }, /content/],
  ['out-of-range number', 'remember', { content: 'ok', importance: 1.5 }, /importance/],
  ['unknown enum', 'remember', { content: 'ok', kind: 'gossip' }, /kind/],
  ['bad date', 'remember', { content: 'ok', occurred_at: 'yesterday' }, /occurred_at/],
  ['too many tags', 'remember', { content: 'ok', tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, /tags/],
  ['oversized metadata', 'remember', { content: 'ok', metadata: { blob: 'x'.repeat(17_000) } }, /metadata/],
  ['limit too large', 'query_memory', { query: 'x', limit: 101 }, /limit/],
  ['limit not an integer', 'query_memory', { query: 'x', limit: 2.5 }, /limit/],
  ['empty query', 'query_memory', { query: '' }, /query/],
  ['unknown scope', 'query_memory', { query: 'x', scope: ['everything'] }, /scope/],
  ['negative latency', 'log_step', { episode_id: 'e', tool: 't', action: 'a', latency_ms: -1 }, /latency_ms/],
  ['bad result type', 'log_step', { episode_id: 'e', tool: 't', action: 'a', result: { type: 'meh' } }, /result/],
  ['bad outcome', 'complete_episode', { episode_id: 'e', outcome: { type: 'won' } }, /outcome/],
  ['bad complexity', 'start_episode', { task: 't', task_type: 'x', domain: 'd', complexity: 'huge' }, /complexity/],
  ['task too long', 'start_episode', { task: 'x'.repeat(10_001), task_type: 'x', domain: 'd' }, /task/],
];

describe('invalid input', () => {
  it.each(cases)('%s → an error naming the field, and the server keeps serving', async (_label, tool, args, field) => {
    const res = await s.client.callTool({ name: tool, arguments: args });
    expect(res.isError).toBe(true);
    const text = (res.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(/Input validation error/);
    expect(text).toMatch(field);
    const h = await s.call('health_check');
    expect(h.status).toBe('healthy');
    expect(h.counts.memories).toBe(0);
  });

  it('rejects an unknown tool without crashing', async () => {
    const res = await s.client.callTool({ name: 'drop_everything', arguments: {} });
    expect(res.isError).toBe(true);
    expect((await s.call('health_check')).status).toBe('healthy');
  });
});

describe('tool catalogue', () => {
  it('offers every core tool with input and output schemas and annotations', async () => {
    const { tools } = await s.client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of ['remember', 'forget', 'query_memory', 'start_episode', 'log_step', 'complete_episode', 'get_episode', 'health_check', 'get_metrics']) {
      expect(names).toContain(n);
    }
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(60);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
      expect(typeof t.annotations?.destructiveHint).toBe('boolean');
      expect(typeof t.annotations?.idempotentHint).toBe('boolean');
    }
  });
});
