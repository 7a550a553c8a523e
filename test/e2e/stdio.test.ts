import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/client.js';
import { CLI, callOk, spawnCairn } from '../helpers/stdio.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome('cairn-e2e-');
  homes.push(h);
  return h;
};

describe('cairn over stdio', () => {
  it('serves tools to a spawned client and keeps stdout for protocol only', async () => {
    const h = home();
    const { client, stderr } = await spawnCairn(h, { CAIRN_LOG_LEVEL: 'debug' });
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(9);
    const r = await callOk(client, 'remember', { content: 'stdio works end to end' });
    const q = await callOk(client, 'query_memory', { query: 'stdio end to end' });
    expect(q.results[0]!.id).toBe(r.id);
    await client.close();
    // every log line went to stderr as JSON; had any reached stdout the client would have failed to parse it
    expect(stderr()).toMatch(/"msg":"cairn serving on stdio"/);
  });

  it('keeps what one process acknowledged after it exits (durability across restarts)', async () => {
    const h = home();
    const a = await spawnCairn(h);
    const mem = await callOk(a.client, 'remember', { content: 'written by the first process', tags: ['durable'] });
    const { episode_id } = await callOk(a.client, 'start_episode', { task: 'durable episode', task_type: 'testing', domain: 'e2e' });
    await callOk(a.client, 'log_step', { episode_id, tool: 'x', action: 'y', result: { type: 'success' } });
    await callOk(a.client, 'complete_episode', { episode_id, outcome: { type: 'success' } });
    await a.client.close();

    rmSync(join(h, 'cache'), { recursive: true, force: true });
    const b = await spawnCairn(h);
    const q = await callOk(b.client, 'query_memory', { query: 'first process', tags: ['durable'] });
    expect(q.results.map((x) => x.id)).toEqual([mem.id]);
    const ep = await callOk(b.client, 'get_episode', { episode_id });
    expect(ep.episode).toMatchObject({ status: 'completed', step_count: 1 });
    await b.client.close();
  });

  it('loses nothing when two processes write to the same CAIRN_HOME at once', async () => {
    const h = home();
    const [a, b] = await Promise.all([spawnCairn(h), spawnCairn(h)]);
    const N = 60;
    const { episode_id } = await callOk(a.client, 'start_episode', { task: 'shared', task_type: 'testing', domain: 'e2e' });
    const writes = (c: typeof a, who: string) =>
      Promise.all(
        Array.from({ length: N }, async (_, i) => {
          await callOk(c.client, 'remember', { content: `${who} memory number ${i}` });
          await callOk(c.client, 'log_step', { episode_id, tool: who, action: `step ${i}` });
        }),
      );
    await Promise.all([writes(a, 'alpha'), writes(b, 'beta')]);
    const h1 = await callOk(a.client, 'health_check');
    expect(h1.counts.memories).toBe(2 * N);
    const ep = await callOk(b.client, 'get_episode', { episode_id, step_limit: 1000 });
    expect(ep.episode.step_count).toBe(2 * N);
    expect(new Set(ep.episode.steps.map((s) => s.step_number)).size).toBe(2 * N);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('exits with code 2 and one clear line for a bad setting', () => {
    const res = spawnSync(process.execPath, [CLI], {
      env: { PATH: process.env.PATH, CAIRN_HOME: home(), CAIRN_LOG_LEVEL: 'loud' },
      input: '',
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/CAIRN_LOG_LEVEL="loud" is invalid: .*debug.*info/);
  });

  it('prints no terminal note when stdin is a pipe (an MCP client launched it)', () => {
    const res = spawnSync(process.execPath, [CLI], {
      env: { PATH: process.env.PATH, CAIRN_HOME: home(), CAIRN_LOG_LEVEL: 'silent' },
      input: '',
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).not.toMatch(/is an MCP server/);
  });

  it.runIf(spawnSync('script', ['--version']).status === 0)('prints a friendly note on stderr when started from a terminal, then serves', async () => {
    const h = home();
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI}`, '/dev/null'], {
      env: { PATH: process.env.PATH, CAIRN_HOME: h, CAIRN_LOG_LEVEL: 'info', CAIRN_EMBEDDINGS: 'hashing' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no note within 10 s: ${out}`)), 10_000);
      const check = setInterval(() => {
        if (out.includes('cairn serving on stdio')) {
          clearTimeout(timer);
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGTERM');
    expect(out).toMatch(/is an MCP server: it speaks the Model Context Protocol over stdin\/stdout/);
    expect(out).toMatch(/mcp\.json\.example/);
  });
});
