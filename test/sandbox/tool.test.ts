import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/client.js';
import { ADVERSARIAL_CASES } from './cases.js';

type CallResult = Awaited<ReturnType<TestServer['client']['callTool']>>;

let h: TestServer;
beforeAll(async () => {
  h = await startTestServer({ env: { CAIRN_SANDBOX_WORKERS: '2' } });
});
afterAll(() => h.close());

const run = (args: Record<string, unknown>, options?: { signal?: AbortSignal }) =>
  h.client.callTool({ name: 'execute_agent_code', arguments: args }, undefined, { timeout: 60_000, ...options });
const structured = (res: CallResult) =>
  res.structuredContent as { status: string; result?: unknown; stdout: string; error?: { name: string; message: string } };
const text = (res: CallResult) => (res.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');

async function healthy(): Promise<void> {
  const res = await h.client.callTool({ name: 'health_check', arguments: {} });
  expect(res.isError).toBeFalsy();
  expect((res.structuredContent as { version: string }).version).toBe(h.app.version);
}

describe('execute_agent_code over MCP', () => {
  it('is listed with its schemas and annotations', async () => {
    const { tools } = await h.client.listTools();
    const tool = tools.find((t) => t.name === 'execute_agent_code');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false });
    expect(tool?.inputSchema.required).toEqual(expect.arrayContaining(['code', 'context']));
    expect(tool?.outputSchema?.properties).toHaveProperty('status');
    expect(tool?.description).toMatch(/QuickJS/);
  });

  it('runs code over the context and returns the result, stdout and timing', async () => {
    const res = await run({
      code: 'console.log("rows:", context.input.length); context.input.filter((r) => r.score > 0.5).map((r) => r.id)',
      context: {
        task: 'keep strong hits',
        input: [
          { id: 'a', score: 0.9 },
          { id: 'b', score: 0.2 },
          { id: 'c', score: 0.7 },
        ],
      },
    });
    expect(res.isError).toBeFalsy();
    expect(structured(res)).toMatchObject({ status: 'success', result: ['a', 'c'], stdout: 'rows: 3\n' });
    expect(JSON.parse(text(res))).toEqual(res.structuredContent);
  });

  for (const c of ADVERSARIAL_CASES) {
    it(`${c.name} → ${c.status}, and health_check still answers`, async () => {
      const res = await run({ code: c.code, context: { task: 'adversarial', input: { rows: [1, 2, 3] } }, ...(c.limits ? { limits: c.limits } : {}) });
      expect(res.isError, text(res).slice(0, 300)).toBeFalsy();
      expect(structured(res).status).toBe(c.status);
      await healthy();
    });
  }

  it('refuses code over 100 KB as invalid input, whether counted in characters or in bytes', async () => {
    const chars = await run({ code: '//' + 'x'.repeat(100 * 1024), context: { task: 't' } });
    expect(chars.isError).toBe(true);
    const bytes = await run({ code: '//' + 'é'.repeat(60 * 1024), context: { task: 't' } });
    expect(bytes.isError).toBe(true);
    expect(text(bytes)).toMatch(/at most 102400 bytes/);
    await healthy();
  });

  it('refuses limits beyond the caps', async () => {
    for (const limits of [{ timeout_ms: 60_000 }, { memory_mb: 1024 }, { memory_mb: 0 }]) {
      const res = await run({ code: '1', context: { task: 't' }, limits });
      expect(res.isError, JSON.stringify(limits)).toBe(true);
    }
    await healthy();
  });

  it('stops a cancelled run and replaces its worker', async () => {
    const ctl = new AbortController();
    const pending = run({ code: 'for (;;) {}', context: { task: 't' }, limits: { timeout_ms: 20_000 } }, { signal: ctl.signal });
    await expect.poll(() => h.app.sandbox!.stats().busy).toBeGreaterThan(0);
    const before = h.app.sandbox!.stats().terminated;
    ctl.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => h.app.sandbox!.stats().terminated).toBe(before + 1);
    expect(structured(await run({ code: '"next"', context: { task: 't' } }))).toMatchObject({ status: 'success', result: 'next' });
  });

  it('answers query_memory while four 3-second scripts run', async () => {
    const remembered = await h.client.callTool({ name: 'remember', arguments: { content: 'The sandbox keeps the server responsive.' } });
    expect(remembered.isError).toBeFalsy();
    const order: string[] = [];
    const busy = '(() => { const end = Date.now() + 3000; while (Date.now() < end) {} return "done" })()';
    const scripts = Array.from({ length: 4 }, (_, i) =>
      run({ code: busy, context: { task: `busy ${i}` }, limits: { timeout_ms: 20_000 } }).then((res) => {
        order.push(`script ${i}`);
        return res;
      }),
    );
    await expect.poll(() => h.app.sandbox!.stats().busy).toBeGreaterThan(0);
    const query = await h.client.callTool({ name: 'query_memory', arguments: { query: 'sandbox responsive' } });
    order.push('query_memory');
    expect(query.isError).toBeFalsy();
    expect((query.structuredContent as { count: number }).count).toBeGreaterThan(0);
    const results = await Promise.all(scripts);
    expect(order[0]).toBe('query_memory');
    for (const res of results) expect(structured(res)).toMatchObject({ status: 'success', result: 'done' });
  });
});
