import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Damage, damageMatrix } from '../../scripts/lib/cache-damage.js';
import type { CacheStats } from '../../src/storage/types.js';
import { cairn, cliEnv } from '../cli/run.js';
import { tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';

// A real server home: episodes completed and read through a stdio server, so the cache file holds
// their records (odd ones too large for a page: their values live on overflow pages) and the
// embeddings of the memories. Each case damages a copy of that file.
const homes: string[] = [];
let seeded = '';
let ids: string[] = [];
/** get_episode answers read from the primary alone (a copy of the home without its cache). */
const expected = new Map<string, unknown>();
const QUERY = { query: 'which stone marks the green trail', limit: 5 };
let expectedQuery: unknown;
const resultsOf = (out: unknown) => (out as { results: Array<{ id: string; score: number }> }).results.map((r) => ({ id: r.id, score: r.score }));

async function fill(home: string): Promise<string[]> {
  const { client } = await spawnCairn(home);
  const out: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { episode_id } = await callOk(client, 'start_episode', { task: `task ${i}: ${'detail '.repeat(i * 10)}`, task_type: 'testing', domain: 'cache' });
    for (let j = 0; j < 4; j++) {
      await callOk(client, 'log_step', {
        episode_id,
        tool: `tool${j}`,
        action: `step ${j} of episode ${i}`,
        result: { type: j === 2 ? 'error' : 'success', output: 'o'.repeat(i % 2 ? 400 * j : 20 * j), message: j === 2 ? 'failed once' : undefined },
      });
    }
    await callOk(client, 'complete_episode', { episode_id, outcome: { type: 'success' } });
    out.push(episode_id);
  }
  for (let i = 0; i < 10; i++) await callOk(client, 'remember', { content: `cache fact ${i}: the ${['red', 'green', 'blue'][i % 3]} stone marks trail ${i}` });
  for (const id of out) await callOk(client, 'get_episode', { episode_id: id });
  await client.close();
  return out;
}

function copyHome(from: string): string {
  const home = tempHome('cairn-damaged-');
  homes.push(home);
  cpSync(from, home, { recursive: true });
  rmSync(join(home, 'run'), { recursive: true, force: true });
  return home;
}

const keyOf = (id: string) => `episode:default:${id}`;
const cacheFile = (home: string) => join(home, 'cache', 'cache.mdb');

beforeAll(async () => {
  seeded = tempHome('cairn-seeded-');
  homes.push(seeded);
  ids = await fill(seeded);
  const primary = copyHome(seeded);
  rmSync(join(primary, 'cache'), { recursive: true, force: true });
  const { client } = await spawnCairn(primary);
  for (const id of ids) expected.set(id, await callOk(client, 'get_episode', { episode_id: id }));
  expectedQuery = resultsOf(await callOk(client, 'query_memory', QUERY));
  await client.close();
}, 120_000);

afterAll(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** Reads every episode; counts failed calls and answers that differ from the primary's. */
async function readAll(client: Client): Promise<{ failed: number; wrong: number }> {
  let failed = 0;
  let wrong = 0;
  for (const id of ids) {
    const res = await client.callTool({ name: 'get_episode', arguments: { episode_id: id } });
    if (res.isError) failed++;
    else if (JSON.stringify(res.structuredContent) !== JSON.stringify(expected.get(id))) wrong++;
  }
  const query = await client.callTool({ name: 'query_memory', arguments: QUERY });
  if (query.isError) failed++;
  else if (JSON.stringify(resultsOf(query.structuredContent)) !== JSON.stringify(expectedQuery)) wrong++;
  return { failed, wrong };
}

function expectFound(damage: Damage, cache: CacheStats, home: string): void {
  const aside = readdirSync(join(home, 'cache')).filter((f) => f.startsWith('cache.mdb.damaged-'));
  if (damage.expect === 'moved') {
    expect(cache.damage?.action).toMatch(/^moved to .*cache\.mdb\.damaged-.*; rebuilt empty$/);
    expect(aside).toHaveLength(1);
  }
  if (damage.expect === 'records') {
    expect(cache.damage).toMatchObject({ problem: expect.stringMatching(/failed the checksum/), action: 'removed' });
    expect(aside).toHaveLength(0);
  }
}

describe('a damaged cache file never takes a stdio server down nor serves wrong data', () => {
  const cases = () => damageMatrix(ids.map(keyOf));
  // The matrix needs the seeded ids, known only after beforeAll: cases are named by index.
  for (let i = 0; i < 14; i++) {
    it(`damage case ${i + 1}`, async () => {
      const damage = cases()[i]!;
      expect(damage, 'the matrix has 14 cases').toBeDefined();
      const home = copyHome(seeded);
      damage.apply(cacheFile(home));
      const { client, transport } = await spawnCairn(home);
      let exited = false;
      transport.onclose = () => {
        exited = true;
      };
      try {
        // Every call answers, with the primary's data, while the file is checked and after.
        const first = await readAll(client);
        const seen: Array<{ status: string; state: string; reason?: string }> = [];
        let health: { status: string; cache: CacheStats } | undefined;
        for (let polls = 0; polls < 600; polls++) {
          health = await callOk(client, 'health_check');
          seen.push({ status: health.status, state: health.cache.state, reason: health.cache.reason });
          if (health.cache.state === 'ok') break;
          await new Promise((r) => setTimeout(r, 50));
        }
        for (const s of seen.slice(0, -1))
          expect(s, damage.name).toMatchObject({ status: 'degraded', state: 'checking', reason: expect.stringMatching(/checking .*cache\.mdb before use/) });
        expect(health, damage.name).toMatchObject({ status: 'healthy', cache: { ok: true, state: 'ok' } });
        expectFound(damage, health!.cache, home);
        const refill = await readAll(client);
        const fromCache = await readAll(client);
        expect({ first, refill, fromCache }, damage.name).toEqual({
          first: { failed: 0, wrong: 0 },
          refill: { failed: 0, wrong: 0 },
          fromCache: { failed: 0, wrong: 0 },
        });
        const metrics = await callOk(client, 'get_metrics');
        expect(metrics.cache.hits).toBeGreaterThanOrEqual(ids.length);
        expect(exited).toBe(false);
      } finally {
        await client.close();
      }
    }, 90_000);
  }
});

describe('the operator CLI on a damaged cache file', () => {
  const pick = (name: RegExp) => damageMatrix(ids.map(keyOf)).find((d) => name.test(d.name))!;
  const damaged = [/truncated to 4096/, /truncated to half/, /meta page 0/, /main root page/, /flipped in a cached episode's step/];

  for (const name of damaged) {
    it(`health, doctor, cache verify and cache clear answer (${name.source})`, async () => {
      const damage = pick(name);
      const homesFor = [copyHome(seeded), copyHome(seeded), copyHome(seeded)];
      for (const h of homesFor) damage.apply(cacheFile(h));
      const [verifyHome, healthHome, clearHome] = homesFor as [string, string, string];

      const verify = await cairn(['cache', 'verify'], cliEnv(verifyHome));
      expect(verify.code, verify.stderr).toBe(1);
      const report = JSON.parse(verify.stdout);
      if (damage.expect === 'moved') expect(report).toMatchObject({ state: 'damaged', problem: expect.any(String) });
      else expect(report).toMatchObject({ state: 'ok', corrupt: 1 });
      expect(verify.stderr).toMatch(/cairn cache clear/);
      expect(existsSync(cacheFile(verifyHome)) && readdirSync(join(verifyHome, 'cache')).some((f) => f.includes('damaged-'))).toBe(false);

      const [health, doctor] = await Promise.all([cairn(['health'], cliEnv(healthHome)), cairn(['doctor', '--json'], cliEnv(verifyHome))]);
      expect(health.code, health.stderr).toBe(0);
      const h = JSON.parse(health.stdout);
      expect(h).toMatchObject({ status: 'healthy', cache: { ok: true, state: 'ok' } });
      expectFound(damage, h.cache, healthHome);
      expect(doctor.code, doctor.stderr).toBe(0);
      const cacheCheck = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'cache');
      expect(cacheCheck).toMatchObject({ status: 'warn', detail: expect.stringMatching(/found at start/) });

      const clear = await cairn(['cache', 'clear'], cliEnv(clearHome));
      expect(clear.code, clear.stderr).toBe(0);
      const after = await cairn(['cache', 'verify'], cliEnv(clearHome));
      expect(after.code, after.stderr).toBe(0);
      expect(JSON.parse(after.stdout)).toMatchObject({ corrupt: 0, entries: 0 });
    }, 120_000);
  }
});
