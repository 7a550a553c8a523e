import { rmSync } from 'node:fs';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES, replyBytes, type SeedIds, seedHostile } from '../../scripts/lib/hostile-replies.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

/** Smaller than the script's seed, still far over any budget (100 results of 3,000 characters, 60 steps of ~30 KB). */
const SIZE = { memories: 100, memoryChars: 3000, episodeSteps: 60 };
const TOKENS = 6000;

type Budgeted = { truncated?: boolean; omitted?: Record<string, number>; hint?: string };
const text = (res: CallToolResult) => res.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

/** Seeds a data folder through a server with the largest budget, then serves it with `tokens`. Close with `done()`. */
async function seeded(tokens: number): Promise<{ s: TestServer; ids: SeedIds; done: () => Promise<void> }> {
  const home = tempHome();
  const seeder = await startTestServer({ home, env: { CAIRN_MAX_REPLY_TOKENS: '20000' } });
  const ids = await seedHostile((name, args) => seeder.client.callTool({ name, arguments: args }) as Promise<CallToolResult>, SIZE);
  await seeder.close();
  const s = await startTestServer({ home, env: { CAIRN_MAX_REPLY_TOKENS: String(tokens), CAIRN_SANDBOX_WORKERS: '1' } });
  return {
    s,
    ids,
    done: async () => {
      await s.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe('every reply stays within CAIRN_MAX_REPLY_TOKENS (default 6,000), through the MCP client', () => {
  let s: TestServer;
  let ids: SeedIds;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ s, ids, done } = await seeded(TOKENS));
  }, 120_000);
  afterAll(() => done?.());
  const call = (name: string, args: Record<string, unknown>) =>
    s.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as Promise<CallToolResult>;

  for (const c of HOSTILE_CASES) {
    it(`${c.label}: ≤ ${TOKENS * 4} bytes (structured + text), and the text is the same JSON`, async () => {
      const res = await call(c.tool, c.args(ids));
      expect(replyBytes(res)).toBeLessThanOrEqual(TOKENS * 4);
      if (c.tool === 'forget') return expect(text(res)).toMatch(/^NOT_FOUND/);
      expect(res.isError, text(res).slice(0, 300)).toBeFalsy();
      expect(JSON.parse(text(res))).toEqual(res.structuredContent);
      const out = res.structuredContent as Budgeted;
      if (out.truncated) {
        expect(out.hint).toEqual(expect.any(String));
        expect(Object.values(out.omitted ?? {}).every((n) => Number.isInteger(n) && n > 0)).toBe(true);
      }
    });
  }

  it('query_memory at limit 100 keeps the best results, counts the rest and says how to get them', async () => {
    const res = (await call('query_memory', { query: 'alpha river stone', limit: 100, min_score: 0 })).structuredContent as Budgeted & {
      results: Array<{ id: string }>;
      count: number;
    };
    expect(res.count).toBe(100);
    expect(res.truncated).toBe(true);
    expect(res.results.length + res.omitted!.results!).toBe(100);
    expect(res.hint).toMatch(/limit/);
    const top = (await call('query_memory', { query: 'alpha river stone', limit: 3, min_score: 0 })).structuredContent as { results: Array<{ id: string }> };
    expect(res.results.slice(0, 3).map((r) => r.id)).toEqual(top.results.map((r) => r.id));
  });

  it('advanced_pattern_analysis answers a summary by default: key numbers, findings, a few changepoints with their count, forecast points', async () => {
    const out = (
      await call('advanced_pattern_analysis', {
        analysis_type: 'comprehensive',
        time_series_data: { x: Array.from({ length: 400 }, (_, t) => (t < 200 ? 0 : 5) + Math.sin(t)) },
      })
    ).structuredContent as { detail: string; findings: string[]; series: Array<Record<string, { count?: number; first?: unknown[]; points?: unknown[] }>> };
    expect(out.detail).toBe('summary');
    expect(out.findings.join(' ')).toMatch(/x: increasing trend|x: \d+ changepoints?/);
    const x = out.series[0]!;
    expect(x.changepoints!.count).toBeGreaterThanOrEqual(1);
    expect(x.changepoints!.first!.length).toBeLessThanOrEqual(Math.min(5, x.changepoints!.count!));
    expect(x.forecast!.points).toHaveLength(10);
    expect(x).not.toHaveProperty('descriptive');
  });

  it('execute_agent_code returns at most 32 KB of console output by default and counts the rest', async () => {
    const big = await startTestServer({ env: { CAIRN_MAX_REPLY_TOKENS: '20000', CAIRN_SANDBOX_WORKERS: '1' } });
    try {
      const code = 'for (let i = 0; i < 1e4; i++) console.log("line " + i + " " + "é".repeat(40)); "done"';
      const out = await big.call('execute_agent_code', { code, context: { task: 'spam' } });
      expect(Buffer.byteLength(out.stdout, 'utf8')).toBeLessThanOrEqual(32 * 1024);
      expect(out.stdout).toMatch(/^line 0 /);
      expect(out.stdout).toMatch(/line 9999 é+\n$/);
      expect(out.stdout).toMatch(/…\[\d+ characters left out\]…/);
      expect(out).toMatchObject({ status: 'success', result: 'done', truncated: true });
      expect(out.omitted!.stdout).toBeGreaterThan(300_000);
      const small = await big.call('execute_agent_code', { code, context: { task: 'spam' }, limits: { stdout_kb: 4 } });
      expect(Buffer.byteLength(small.stdout, 'utf8')).toBeLessThanOrEqual(4 * 1024);
      const quiet = await big.call('execute_agent_code', { code: 'console.log("hi"); 1', context: { task: 'quiet' } });
      expect(quiet).toEqual({ status: 'success', result: 1, stdout: 'hi\n', execution_time_ms: expect.any(Number) });
    } finally {
      await big.close();
    }
  });

  it('break_down_task does not repeat per step what the task says once', async () => {
    const out = await s.call('break_down_task', {
      task: 'Tidy the shed',
      steps: [
        { title: 'Empty it', estimate_minutes: 10 },
        { title: 'Sweep', estimate_minutes: 5 },
      ],
      category: 'home',
    });
    for (const step of out.steps) {
      for (const k of ['status', 'parent_id', 'root_id', 'category', 'created_at', 'notes', 'deadline', 'started_at', 'completed_at', 'calibration'])
        expect(step, k).not.toHaveProperty(k);
      expect(step).toMatchObject({
        id: expect.any(String),
        title: expect.any(String),
        raw_minutes: expect.any(Number),
        realistic_minutes: expect.any(Number),
        why: expect.any(String),
      });
    }
    expect(out.task).toMatchObject({ title: 'Tidy the shed', category: 'home' });
  });

  it('complete_episode lists the top few patterns and counts them all', async () => {
    const { episode_id } = await s.call('start_episode', { task: 'many tools', task_type: 'analysis', domain: 'data' });
    for (let i = 0; i < 40; i++)
      await s.call('log_step', { episode_id, tool: `tool_${i % 12}`, action: 'act', result: { type: i % 6 === 0 ? 'error' : 'success' } });
    const done = await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    expect(done.patterns.length).toBeLessThanOrEqual(5);
    expect(done.pattern_counts.total).toBeGreaterThan(5);
    expect(Object.values(done.pattern_counts.by_kind).reduce((a, b) => a + b, 0)).toBe(done.pattern_counts.total);
  });
});

describe('at the smallest budget (1,000 tokens) every reply still fits', () => {
  let s: TestServer;
  let ids: SeedIds;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ s, ids, done } = await seeded(1000));
  }, 120_000);
  afterAll(() => done?.());

  it('for each hostile call', async () => {
    for (const c of HOSTILE_CASES) {
      const res = (await s.client.callTool({ name: c.tool, arguments: c.args(ids) }, undefined, { timeout: 60_000 })) as CallToolResult;
      expect(replyBytes(res), c.label).toBeLessThanOrEqual(4000);
      if (c.tool !== 'forget') expect(res.isError, `${c.label}: ${text(res).slice(0, 200)}`).toBeFalsy();
    }
  });
});
