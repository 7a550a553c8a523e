import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strictInput, suggestName } from '../../tools/layer/strict-input.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('unknown parameters are refused, named, with the nearest accepted name', () => {
  it('remember {at} stores nothing and suggests occurred_at', async () => {
    const err = await s.callError('remember', { content: 'Dentist at 3', at: '2026-11-21T15:00:00Z' });
    expect(err).toMatch(
      /^MCP error -32602: Input validation error: Invalid arguments for tool remember: unknown parameter "at" \(did you mean "occurred_at"\?\); accepted: content, kind, /,
    );
    expect((await s.call('health_check')).counts.memories).toBe(0);
  });

  it('query_memory {kind} no longer ignores the filter silently: it suggests kinds', async () => {
    expect(await s.callError('query_memory', { query: 'x', kind: 'fact' })).toMatch(/unknown parameter "kind" \(did you mean "kinds"\?\)/);
  });

  it('names every unknown key, in nested objects too (with where)', async () => {
    const { episode_id } = await s.call('start_episode', { task: 't', task_type: 'x', domain: 'd' });
    const err = await s.callError('complete_episode', { episode_id, outcome: { type: 'failure', reson: 'flaky', colour: 'red' } });
    expect(err).toMatch(/unknown parameters "reson" \(did you mean "reason"\?\), "colour"; accepted: type, verdict, .* at outcome/);
    expect(await s.callError('execute_agent_code', { code: '1', context: { task: 't' }, limits: { timeout: 100 } })).toMatch(
      /"timeout" \(did you mean "timeout_ms"\?\).* at limits/,
    );
    expect(await s.callError('break_down_task', { task: 't', steps: [{ title: 'a', minutes: 5 }] })).toMatch(
      /"minutes" \(did you mean "estimate_minutes"\?\).* at steps\[0\]/,
    );
  });

  it('refuses parameters of tools that take none, and keeps serving', async () => {
    expect(await s.callError('health_check', { verbose: true })).toMatch(/unknown parameter "verbose"; accepted: none/);
    expect((await s.call('health_check')).status).toBe('healthy');
  });

  it('still accepts free-form JSON wherever it was accepted', async () => {
    const r = await s.call('remember', { content: 'with metadata', metadata: { anything: { goes: [1, { here: true }] } } });
    expect(r.deduplicated).toBe(false);
    const out = await s.call('execute_agent_code', { code: 'context.input.any.key', context: { task: 't', input: { any: { key: 7 } } } });
    expect(out.result).toBe(7);
  });
});

describe('strictInput', () => {
  it('closes plain objects at every depth, keeps a declared loose object open, and keeps descriptions', () => {
    const schema = strictInput(
      z.object({
        a: z.string().describe('the a'),
        nested: z.object({ b: z.number() }).optional(),
        list: z.array(z.object({ c: z.boolean() })),
        open: z.looseObject({ d: z.string() }),
      }),
    );
    expect(schema.safeParse({ a: 'x', list: [], open: { d: 'y', extra: 1 } }).success).toBe(true);
    expect(schema.safeParse({ a: 'x', list: [], open: { d: 'y' }, e: 1 }).error?.issues[0]?.message).toMatch(/unknown parameter "e"/);
    expect(schema.safeParse({ a: 'x', nested: { b: 1, bb: 2 }, list: [], open: { d: 'y' } }).error?.issues[0]).toMatchObject({
      path: ['nested'],
      message: expect.stringMatching(/"bb" \(did you mean "b"\?\)/),
    });
    expect(schema.safeParse({ a: 'x', list: [{ c: true, cc: 1 }], open: { d: 'y' } }).error?.issues[0]?.path).toEqual(['list', 0]);
    expect(schema.shape.a.description).toBe('the a');
  });
});

describe('suggestName', () => {
  it.each([
    ['at', ['content', 'occurred_at', 'source'], 'occurred_at'],
    ['occurredAt', ['content', 'occurred_at'], 'occurred_at'],
    ['kind', ['query', 'kinds', 'tags'], 'kinds'],
    ['tag', ['query', 'kinds', 'tags'], 'tags'],
    ['top_k', ['query', 'limit'], 'limit'],
    ['text', ['content', 'kind'], 'content'],
    ['episodeId', ['episode_id', 'tool'], 'episode_id'],
    ['limt', ['query', 'limit'], 'limit'],
    ['xyzzy', ['query', 'limit'], undefined],
  ])('%s among %j → %s', (key, accepted, expected) => {
    expect(suggestName(key, accepted)).toBe(expected);
  });
});
