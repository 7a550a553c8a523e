import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/json-guard.js';
import { startTestServer, type TestServer } from '../helpers/client.js';

/** `{"a":{"a":…{"a":1}}}` with `levels` objects. */
const nested = (levels: number): Record<string, unknown> => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v as Record<string, unknown>;
};

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(() => srv.close());

describe(`free-form JSON is nested at most ${MAX_JSON_DEPTH} levels`, () => {
  // Over stdio a 5,000-level value arrives as text; test/server/stdio-hostile.test.ts sends it raw.
  const deep = nested(5000);

  it('remember.metadata', async () => {
    expect(await srv.callError('remember', { content: 'x', metadata: deep })).toMatch(
      /Input validation error.*JSON nested more than 32 levels deep \(path a\.a\.a\.a\.a\.a\.a\.a…\) is not accepted at metadata/,
    );
    expect(await srv.callError('remember', { content: 'x', metadata: nested(MAX_JSON_DEPTH + 1) })).toMatch(/more than 32 levels.* at metadata/);
    const ok = await srv.call('remember', { content: 'exactly at the limit', metadata: nested(MAX_JSON_DEPTH) });
    expect(ok.id).toBeTruthy();
  });

  it('start_episode.context, log_step.parameters, and complete_episode ignores what it does not read', async () => {
    expect(await srv.callError('start_episode', { task: 't', task_type: 'x', domain: 'y', context: deep })).toMatch(/more than 32 levels.* at context/);
    const { episode_id } = await srv.call('start_episode', { task: 't', task_type: 'x', domain: 'y', context: nested(MAX_JSON_DEPTH) });
    expect(await srv.callError('log_step', { episode_id, tool: 'a', action: 'b', parameters: deep })).toMatch(/more than 32 levels.* at parameters/);
    await srv.call('log_step', { episode_id, tool: 'a', action: 'b', parameters: nested(MAX_JSON_DEPTH) });
    // outcome has no free-form field: anything else in it is refused by name, even when deep
    expect(await srv.callError('complete_episode', { episode_id, outcome: { type: 'success', extra: deep } })).toMatch(
      /unknown parameter "extra".* at outcome/,
    );
    const done = await srv.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.step_count).toBe(1);
    const ep = await srv.call('get_episode', { episode_id });
    expect(ep.episode.steps[0]!.parameters).toEqual(nested(MAX_JSON_DEPTH));
  });

  it('execute_agent_code.context.input', async () => {
    expect(await srv.callError('execute_agent_code', { code: '1', context: { task: 't', input: deep } })).toMatch(/more than 32 levels.* at context\.input/);
    expect(
      await srv.callError('execute_agent_code', {
        code: '1',
        context: { task: 't', input: JSON.parse(`${'['.repeat(MAX_JSON_DEPTH + 1)}1${']'.repeat(MAX_JSON_DEPTH + 1)}`) },
      }),
    ).toMatch(/path \[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]…\) is not accepted at context\.input/);
    const out = await srv.call('execute_agent_code', { code: 'JSON.stringify(context.input).length', context: { task: 't', input: nested(MAX_JSON_DEPTH) } });
    expect(out).toMatchObject({ status: 'success', result: 6 * MAX_JSON_DEPTH + 1 });
  });
});
