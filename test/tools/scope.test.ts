import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type CallToolResult, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { projectNamespace } from '../../src/scope/project.js';
import { sessionScope } from '../../src/scope/session.js';
import { createMcpServer } from '../../src/server/mcp.js';
import { cairn, cliEnv } from '../cli/run.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';
import { tokensOf } from '../hooks/helpers.js';

const open: Array<{ close(): Promise<void> }> = [];
const homes: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const server = async (opts: Parameters<typeof startTestServer>[0]) => {
  const s = await startTestServer(opts);
  open.push(s);
  return s;
};
const home = () => {
  const h = realpathSync(tempHome());
  homes.push(h);
  return h;
};

describe('a session with a project and the global namespace', () => {
  it('lists the project and global memories together, newest first, and reads either by id as a resource', async () => {
    const s = await server({ home: home(), namespace: 'me', project: 'me.shop' });
    const pref = await s.call('remember', { content: 'Prefers tabs over spaces', kind: 'preference' });
    const fact = await s.call('remember', { content: 'The shop API runs on port 8080', kind: 'fact' });
    expect([pref.scope, fact.scope]).toEqual(['global', 'project']);
    const listed = await s.call('query_memory', {});
    expect(listed.results.map((r) => [r.id, r.scope])).toEqual([
      [fact.id, 'project'],
      [pref.id, 'global'],
    ]);
    const page = await s.client.listResources();
    const uris = page.resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining([`cairn://memories/${pref.id}`, `cairn://memories/${fact.id}`]));
    for (const id of [pref.id, fact.id]) {
      const res = await s.client.readResource({ uri: `cairn://memories/${id}` });
      expect(JSON.parse((res.contents[0] as { text: string }).text)).toMatchObject({ memory: { id } });
    }
  });

  it('a correction without a scope lives where the memory it supersedes lives, and hides it from the project too', async () => {
    const h = home();
    const g = await server({ home: h, namespace: 'me' });
    const old = await g.call('remember', { content: 'The team stand-up is at 9:30', kind: 'fact' });
    const p = await server({ home: h, namespace: 'me', project: 'me.shop' });
    const fixed = await p.call('remember', { content: 'The team stand-up moved to 10:00', kind: 'fact', supersedes: [old.id] });
    expect(fixed).toMatchObject({ scope: 'global', superseded: [old.id] });
    const found = await p.call('query_memory', { query: 'team stand-up' });
    expect(found.results.map((r) => r.id)).toEqual([fixed.id]);
    expect((await g.call('query_memory', { query: 'team stand-up' })).results.map((r) => r.id)).toEqual([fixed.id]);
    // A project memory's correction stays in the project.
    const local = await p.call('remember', { content: 'The shop deploys on Fridays', kind: 'fact' });
    const moved = await p.call('remember', { content: 'The shop deploys on Thursdays', kind: 'fact', supersedes: [local.id] });
    expect(moved.scope).toBe('project');
  });

  it('finds, forgets and restores a global memory by id from the project', async () => {
    const h = home();
    const g = await server({ home: h });
    const { id } = await g.call('remember', { content: 'Allergic to penicillin', kind: 'fact' });
    const p = await server({ home: h, project: 'default.clinic' });
    expect((await p.call('query_memory', { query: 'penicillin' })).results.map((r) => [r.id, r.scope])).toEqual([[id, 'global']]);
    expect(await p.call('forget', { id })).toEqual({ id, status: 'forgotten' });
    expect((await g.call('query_memory', { query: 'penicillin' })).results).toEqual([]);
    await p.call('forget', { id, restore: true });
    expect((await g.call('query_memory', { query: 'penicillin' })).results.map((r) => r.id)).toEqual([id]);
    expect(await p.callError('forget', { id: '00000000-0000-7000-8000-000000000000' })).toMatch(/NOT_FOUND/);
  });

  it('keeps episodes in the project and still reaches an episode opened before it had one', async () => {
    const h = home();
    const g = await server({ home: h });
    const old = await g.call('start_episode', { task: 'Migrate the invoices table', task_type: 'migration', domain: 'billing' });
    const p = await server({ home: h, project: 'default.billing' });
    await p.call('log_step', { episode_id: old.episode_id, tool: 'sql', action: 'add column', result: { type: 'success' } });
    expect((await p.call('get_episode', { episode_id: old.episode_id })).episode.step_count).toBe(1);
    const fresh = await p.call('start_episode', { task: 'Add the VAT column', task_type: 'migration', domain: 'billing' });
    expect(await g.callError('get_episode', { episode_id: fresh.episode_id })).toMatch(/NOT_FOUND/);
    await p.call('complete_episode', { episode_id: old.episode_id, outcome: { type: 'success' } });
  });

  it('keeps the person’s ADHD records in the global namespace whichever project logs them', async () => {
    const h = home();
    const p = await server({ home: h, project: 'default.thesis' });
    await p.call('log_energy', { level: 3, attention: 'scattered' });
    const other = await server({ home: h, project: 'default.garden' });
    expect((await other.call('energy_report', {})).current).toMatchObject({ level: 3, attention: 'scattered' });
  });
});

describe('recover_context {max_tokens} and cairn://context', () => {
  let s: TestServer;
  it('give the same pack, within the budget, and trim the lists to what it holds', async () => {
    s = await server({ env: { CAIRN_CONTEXT_TOKENS: '250' }, project: 'default.shop' });
    await s.call('remember', { content: 'Prefers squash merges', kind: 'preference' });
    for (let i = 0; i < 30; i++) await s.call('remember', { content: `Note ${i}: ${'the cart total rounds half up '.repeat(5)}` });
    await s.call('break_down_task', {
      task: 'Ship the cart redesign',
      steps: [
        { title: 'Write the migration', estimate_minutes: 20 },
        { title: 'Update the API', estimate_minutes: 30 },
      ],
    });
    const r = await s.call('recover_context', { max_tokens: 250 });
    expect(tokensOf(r.pack!)).toBeLessThanOrEqual(250);
    expect(r.pack_tokens).toBe(tokensOf(r.pack!));
    expect(r.pack).toContain('project shop');
    expect(r.pack).toContain('Prefers squash merges');
    expect(r.pack).toContain('Ship the cart redesign');
    expect(r.recent_memories.length).toBeLessThanOrEqual(5);
    expect(r.recent_memories.every((m) => r.pack!.includes(m.content.slice(0, 20)))).toBe(true);
    const resource = await s.client.readResource({ uri: 'cairn://context' });
    expect(resource.contents[0]).toMatchObject({ uri: 'cairn://context', mimeType: 'text/markdown' });
    expect((resource.contents[0] as { text: string }).text.replace(/Now .*?\./, '')).toBe(r.pack!.replace(/Now .*?\./, ''));
    const full = await s.call('recover_context', {});
    expect(full.pack).toBeUndefined();
    expect(full.recent_memories).toHaveLength(5);
  });
});

describe('stdio sessions pick their project', () => {
  it('keeps memories of the default namespace reachable after an upgrade: they become the global namespace', async () => {
    const h = home();
    const project = join(h, 'code', 'shop');
    mkdirSync(join(project, '.git'), { recursive: true });
    const before = await spawnCairn(h, { CAIRN_PROJECT: 'off' });
    const old = await callOk(before.client, 'remember', { content: 'The VPN config lives in the ops vault', kind: 'fact' });
    expect(old.scope).toBe('global');
    await before.transport.close();

    const after = await spawnCairn(h, { CLAUDE_PROJECT_DIR: project });
    const found = await callOk(after.client, 'query_memory', { query: 'VPN config' });
    expect(found.results.map((r) => [r.id, r.scope])).toEqual([[old.id, 'global']]);
    const fresh = await callOk(after.client, 'remember', { content: 'The shop VPN uses the staging profile', kind: 'fact' });
    expect(fresh.scope).toBe('project');
    await after.transport.close();

    const ns = projectNamespace('default', realpathSync(project));
    const inDefault = await cairn(['export', '--namespace', 'default'], cliEnv(h));
    const inProject = await cairn(['export', '--namespace', ns], cliEnv(h));
    expect(inDefault.stdout).toContain(old.id);
    expect(inDefault.stdout).not.toContain(fresh.id);
    expect(inProject.stdout).toContain(fresh.id);
  });

  it('uses the client’s first MCP root when it names no project folder', async () => {
    const h = home();
    const project = join(h, 'blog');
    mkdirSync(join(project, '.git'), { recursive: true });
    const config = resolveConfig({ CAIRN_HOME: h, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0' }, []);
    const app = await createApp(config, { logger: silentLogger });
    const mcp = createMcpServer(app, { namespace: 'default', scope: (roots) => sessionScope(config.project, 'default', { roots, cwd: h, home: h }) });
    const client = new Client({ name: 'roots-client', version: '1.0.0' }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: pathToFileURL(project).href, name: 'blog' }] }));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await mcp.connect(b);
    await client.connect(a);
    try {
      const res = (await client.callTool({ name: 'remember', arguments: { content: 'Posts go out on Tuesdays' } })) as CallToolResult;
      expect(res.structuredContent).toMatchObject({ scope: 'project' });
      const ns = projectNamespace('default', realpathSync(project));
      expect((await app.memory.query(ns, { query: 'posts tuesdays', scope: ['memories'], limit: 5 })).hits.map((x) => x.text)).toEqual([
        'Posts go out on Tuesdays',
      ]);
    } finally {
      await client.close();
      await mcp.close();
      await app.close();
    }
  });
});
