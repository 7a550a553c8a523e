import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/runner.js';
import type { Sandbox } from '../../sandbox/types.js';
import { ADVERSARIAL_CASES } from './cases.js';

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox({ poolSize: 2, graceMs: 500 });
});
afterAll(() => sandbox.close());

const context = { task: 'adversarial', input: { rows: [1, 2, 3] } };

async function stillWorks(): Promise<void> {
  expect(await sandbox.run({ code: 'context.input.rows.reduce((a, b) => a + b, 0)', context })).toMatchObject({ status: 'success', result: 6 });
}

describe('adversarial scripts end with the exact status and leave the sandbox working', () => {
  it('has at least 40 cases', () => {
    expect(ADVERSARIAL_CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of ADVERSARIAL_CASES) {
    it(`${c.name} → ${c.status}`, async () => {
      const r = await sandbox.run({ code: c.code, context, ...(c.limits ? { limits: c.limits } : {}) });
      expect(r.status, JSON.stringify({ ...r, stdout: r.stdout.slice(0, 200), result: JSON.stringify(r.result)?.slice(0, 200) })).toBe(c.status);
      expect(typeof r.stdout).toBe('string');
      expect(r.execution_time_ms).toBeGreaterThanOrEqual(0);
      if (c.status !== 'success') expect(r.error).toEqual({ name: expect.any(String), message: expect.any(String) });
      c.check?.(r);
      await stillWorks();
    });
  }
});

describe('isolation between runs', () => {
  it('prototype pollution and globals do not leak into the next run', async () => {
    const first = await sandbox.run({
      code: 'Object.prototype.polluted = "yes"; Array.prototype.push = null; globalThis.secret = 42; 1',
      context,
    });
    expect(first.status).toBe('success');
    const second = await sandbox.run({
      code: '[({}).polluted, typeof [].push, typeof secret]',
      context,
    });
    expect(second).toMatchObject({ status: 'success', result: [null, 'function', 'undefined'] });
    await stillWorks();
  });

  it('the script gets a deep copy of context; the caller’s object is untouched', async () => {
    const input = { nested: { list: [1, 2] } };
    const r = await sandbox.run({ code: 'context.input.nested.list.push(3); context.task = "changed"; context', context: { task: 'copy', input } });
    expect(r).toMatchObject({ status: 'success', result: { task: 'changed', input: { nested: { list: [1, 2, 3] } } } });
    expect(input).toEqual({ nested: { list: [1, 2] } });
  });

  it('console output, a returned promise and context work together', async () => {
    const r = await sandbox.run({
      code: `console.log("task:", context.task, context.input);
        (async () => { await null; return context.input.rows.map((x) => x * 2) })()`,
      context,
    });
    expect(r).toMatchObject({ status: 'success', result: [2, 4, 6], stdout: 'task: adversarial {"rows":[1,2,3]}\n' });
  });

  it('input defaults to null and task to the given string', async () => {
    expect(await sandbox.run({ code: '[context.task, context.input]', context: { task: 't' } })).toMatchObject({ result: ['t', null] });
  });
});
