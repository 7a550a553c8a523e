import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveInstances } from '../../src/ops/instances.js';
import { startTestServer, tempHome } from '../helpers/client.js';
import { CLI, callOk, spawnCairn } from '../helpers/stdio.js';
import { cairn, cliEnv } from './run.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome('cairn-cli-');
  homes.push(h);
  return h;
};

/** Fills a home with memories (one forgotten), a completed and an open episode. */
async function populate(h: string) {
  const s = await startTestServer({ home: h });
  const ids: string[] = [];
  for (const content of [
    'Postgres runs on port 5433 in staging',
    'Deploys happen on Tuesdays after standup',
    'Alice prefers oat milk',
    'The VPN config lives in 1Password',
  ]) {
    ids.push((await s.call('remember', { content, tags: ['ops'], kind: 'fact' })).id);
  }
  await s.call('forget', { id: ids[2] });
  const { episode_id } = await s.call('start_episode', { task: 'fix the flaky deploy', task_type: 'debugging', domain: 'ops' });
  await s.call('log_step', { episode_id, tool: 'bash', action: 'read logs', result: { type: 'error', message: 'timeout' } });
  await s.call('log_step', { episode_id, tool: 'bash', action: 'raise timeout', result: { type: 'success' } });
  await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
  await s.call('start_episode', { task: 'write the runbook', task_type: 'documentation', domain: 'ops' });
  await s.close();
  return { episode_id };
}

async function snapshot(h: string, episodeId: string) {
  const s = await startTestServer({ home: h });
  try {
    const queries = ['postgres port', 'deploy day', 'oat milk', 'VPN config', 'flaky deploy'];
    const results = [];
    for (const query of queries) {
      const r = await s.call('query_memory', { query, scope: ['memories', 'episodes'] });
      results.push(r.results.map((x) => ({ id: x.id, type: x.type, text: x.content ?? x.summary, tags: x.tags })));
    }
    const health = await s.call('health_check');
    const episode = await s.call('get_episode', { episode_id: episodeId });
    return { results, counts: health.counts, episode: episode.episode };
  } finally {
    await s.close();
  }
}

describe('export and import', () => {
  it('round-trips a namespace into a fresh home with identical query results', async () => {
    const a = home();
    const { episode_id } = await populate(a);
    const file = join(a, 'export.jsonl');
    const ex = await cairn(['export', '--out', file], cliEnv(a));
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stderr).toMatch(/exported \d+ rows from namespace "default"/);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'cairn-export', namespace: 'default' });
    expect(lines.at(-1)).toMatchObject({ type: 'end', counts: { memories: 4, episodes: 2, episode_steps: 2 } });

    const b = home();
    const im = await cairn(['import', file], cliEnv(b));
    expect(im.code, im.stderr).toBe(0);
    expect(JSON.parse(im.stdout)).toMatchObject({ format: 'cairn', inserted: { memories: 4, episodes: 2, episode_steps: 2 } });
    expect(await snapshot(b, episode_id)).toEqual(await snapshot(a, episode_id));

    // importing again skips everything: ids are kept
    const again = await cairn(['import', file], cliEnv(b));
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: { memories: 0 }, skipped: { memories: 4, episodes: 2 } });
  });

  it('exports to stdout and imports from stdin into another namespace', async () => {
    const a = home();
    await populate(a);
    const ex = await cairn(['export'], cliEnv(a));
    expect(ex.code, ex.stderr).toBe(0);
    const b = home();
    const im = await cairn(['import', '-', '--namespace', 'moved'], cliEnv(b), ex.stdout);
    expect(im.code, im.stderr).toBe(0);
    const s = await startTestServer({ home: b, namespace: 'moved' });
    expect((await s.call('health_check')).counts).toMatchObject({ memories: 3, forgotten: 1, episodes_completed: 1, episodes_open: 1 });
    await s.close();
  });

  it('reports a truncated export and a file that is not an export', async () => {
    const a = home();
    await populate(a);
    const ex = await cairn(['export'], cliEnv(a));
    const cut = ex.stdout.trim().split('\n').slice(0, -1).join('\n');
    const b = home();
    const r = await cairn(['import', '-'], cliEnv(b), cut);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/ends without its end line, so it is probably truncated/);
    const junk = join(b, 'junk.jsonl');
    writeFileSync(junk, '{"hello":"world"}\n');
    const j = await cairn(['import', junk, '--format', 'cairn'], cliEnv(b));
    expect(j.code, j.stderr).toBe(1);
    expect(j.stderr).toMatch(/not a Cairn export/);
    const bad = await cairn(['import', junk, '--format', 'xml'], cliEnv(b));
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/--format="xml" is invalid; accepted: cairn, server-memory/);
  });

  it('imports a server-memory memory.jsonl so query_memory finds it', async () => {
    const h = home();
    const file = join(h, 'memory.jsonl');
    writeFileSync(
      file,
      [
        { type: 'entity', name: 'John_Smith', entityType: 'person', observations: ['Speaks fluent Spanish', 'Graduated in 2019'] },
        { type: 'entity', name: 'Anthropic', entityType: 'organization', observations: [] },
        { type: 'relation', from: 'John_Smith', to: 'Anthropic', relationType: 'works_at' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const r = await cairn(['import', file], cliEnv(h));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'server-memory', inserted: { observations: 2, entities: 1, relations: 1 } });
    const s = await startTestServer({ home: h });
    const q = await s.call('query_memory', { query: 'John Spanish' });
    const spanish = q.results.find((x) => x.content === 'John_Smith: Speaks fluent Spanish');
    expect(spanish).toMatchObject({ tags: ['John_Smith', 'person'], kind: 'observation' });
    expect(spanish!.metadata).toMatchObject({ entity: 'John_Smith', entity_type: 'person', links: [{ relation: 'works_at', to: 'Anthropic' }] });
    const w = await s.call('query_memory', { query: 'where does John work', tags: ['Anthropic'] });
    expect(w.results.map((x) => x.content)).toContain('John_Smith works at Anthropic');
    await s.close();
    const again = await cairn(['import', file], cliEnv(h));
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: {}, skipped: { observations: 2, entities: 1, relations: 1 } });
  });
});

describe('reindex', () => {
  it('re-embeds every item of the namespace with the active embedder', async () => {
    const h = home();
    await populate(h);
    const r = await cairn(['reindex'], cliEnv(h));
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ namespace: 'default', embedder: expect.stringMatching(/^hashing/) });
    expect(out.items).toBeGreaterThanOrEqual(5);
    expect(r.stderr).toMatch(/reindexed \d+ items with hashing/);
    const off = await cairn(['reindex'], cliEnv(h, { CAIRN_SEARCH: 'fts' }));
    expect(off.code, off.stderr).toBe(1);
    expect(off.stderr).toMatch(/fts5-bm25\+patterns search engine \(CAIRN_SEARCH=fts\) has no reindex step/);
  });

  it('names the engine it runs under when that engine has no reindex step', async () => {
    const r = await cairn(['reindex'], cliEnv(home(), { CAIRN_SEARCH: 'sql' }));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/sql-hybrid\+patterns search engine \(CAIRN_SEARCH=sql\) has no reindex step, so nothing was changed/);
    expect(r.stderr).not.toMatch(/fts/);
  });
});

describe('backup and restore', () => {
  it('takes a consistent backup while a server writes, and restores it', async () => {
    const a = home();
    const server = await spawnCairn(a);
    const { episode_id } = await callOk(server.client, 'start_episode', { task: 'busy writer', task_type: 'testing', domain: 'cli' });
    let stop = false;
    let written = 0;
    const writer = (async () => {
      while (!stop) {
        await callOk(server.client, 'remember', { content: `note number ${written}` });
        await callOk(server.client, 'log_step', { episode_id, tool: 'w', action: `step ${written}` });
        written++;
      }
    })();
    while (written < 20) await new Promise((r) => setImmediate(r));
    const target = join(home(), 'backup.db');
    const b = await cairn(['backup', target], cliEnv(a));
    const atBackup = written;
    while (written < atBackup + 10) await new Promise((r) => setImmediate(r));
    stop = true;
    await writer;
    expect(b.code, b.stderr).toBe(0);
    const report = JSON.parse(b.stdout);
    expect(report.path).toBe(target);

    // restoring over a folder a server is serving from is refused
    const refused = await cairn(['restore', target], cliEnv(a));
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/a Cairn server is serving from .*pid \d+ \(stdio\).*nothing was changed/);
    await server.client.close();

    const c = home();
    const r = await cairn(['restore', target], cliEnv(c));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ restored_from: target, previous_database: null, cache: 'cleared' });
    // The largest reply budget, so that get_episode can list every step the writer managed to log.
    const s = await startTestServer({ home: c, env: { CAIRN_MAX_REPLY_TOKENS: '20000' } });
    const counts = (await s.call('health_check')).counts;
    expect(counts.memories).toBe(report.counts.memories);
    expect(counts.memories).toBeGreaterThanOrEqual(20);
    expect(counts.memories).toBeLessThan(written);
    const ep = (await s.call('get_episode', { episode_id, step_limit: 1000 })).episode;
    expect(ep.steps).toHaveLength(ep.step_count);
    // every step is whole and numbered without gaps; memories and steps were written in pairs
    expect(ep.steps.map((x) => x.step_number)).toEqual(Array.from({ length: ep.step_count }, (_, i) => i + 1));
    expect(Math.abs(ep.step_count - counts.memories)).toBeLessThanOrEqual(1);
    expect((await s.call('query_memory', { query: 'note number 7' })).results.map((x) => x.content)).toContain('note number 7');
    await s.close();
  });

  it('keeps the replaced database aside and refuses a file that is not a Cairn database', async () => {
    const a = home();
    await populate(a);
    const target = join(home(), 'snap.db');
    expect((await cairn(['backup', target], cliEnv(a))).code).toBe(0);
    expect((await cairn(['backup', target], cliEnv(a))).code).toBe(2);
    const r = await cairn(['restore', target], cliEnv(a));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).previous_database).toMatch(/cairn\.db\.pre-restore-/);
    const junk = join(a, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like something');
    const j = await cairn(['restore', junk], cliEnv(a));
    expect(j.code, j.stderr).toBe(1);
    expect(j.stderr).toMatch(/not a readable SQLite database|integrity/);
  });
});

describe('served processes stop cleanly', () => {
  it('stdio: SIGTERM closes the session, the stores and the live-server record, exit code 0', async () => {
    const h = home();
    const child = spawn(process.execPath, [CLI], { env: cliEnv(h, { CAIRN_LOG_LEVEL: 'info' }), stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await vi.waitFor(() => expect(err).toMatch(/cairn serving on stdio/), { timeout: 10_000 });
    expect(liveInstances(h).map((i) => i.kind)).toEqual(['stdio']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toMatch(/"msg":"shutting down","signal":"SIGTERM"/);
    expect(liveInstances(h)).toEqual([]);
  });

  it('serve --http: serves until SIGTERM, drains, exit code 0', async () => {
    const h = home();
    const child = spawn(process.execPath, [CLI, 'serve', '--http', '--port', '0'], { env: cliEnv(h, { CAIRN_LOG_LEVEL: 'info' }) });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`exited early: ${err}`)));
      const check = setInterval(() => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(err);
        if (m) {
          clearInterval(check);
          resolve(m[1]!);
        }
      }, 20);
    });
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    expect((await callOk(client, 'remember', { content: 'over a real process' })).deduplicated).toBe(false);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toMatch(/"msg":"shutting down"/);
    expect(err).toMatch(/"msg":"stopped","drained":true/);
  });
});
