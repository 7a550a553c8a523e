import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordCopies } from '../../scripts/lib/cache-damage.js';
import { checkCacheFile } from '../../src/storage/cache-check.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';

const homes: string[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('health while the cache file is checked', () => {
  it('is degraded with the reason until the damaged file is repaired, then healthy; every call answers with the primary data', async () => {
    const home = tempHome();
    homes.push(home);
    const first = await startTestServer({ home });
    const { episode_id } = await first.call('start_episode', { task: 'flip me', task_type: 'testing', domain: 'd' });
    await first.call('log_step', { episode_id, tool: 'edit', action: 'act 3 of 0', result: { type: 'success' } });
    await first.call('complete_episode', { episode_id, outcome: { type: 'success' } });
    const original = await first.call('get_episode', { episode_id });
    await first.close();

    // One bit of the cached step, on disk: '3' (0x33) becomes '2' (0x32).
    const file = join(home, 'cache', 'cache.mdb');
    const bytes = readFileSync(file);
    for (const at of recordCopies(file, `episode:default:${episode_id}`)) bytes[bytes.indexOf('act 3 of 0', at.value) + 4]! ^= 0x01;
    writeFileSync(file, bytes);

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = await startTestServer({
      home,
      cacheChecker: (f) => {
        const real = checkCacheFile(f);
        return { done: gate.then(() => real.done), cancel: real.cancel };
      },
    });
    servers.push(s);

    const during = await s.call('health_check');
    expect(during.status).toBe('degraded');
    expect(during.cache).toMatchObject({ ok: false, state: 'checking', reason: expect.stringMatching(/checking .*cache\.mdb before use/) });
    expect(await s.call('get_episode', { episode_id })).toEqual(original);

    release();
    await s.app.cache.ready();
    const after = await s.call('health_check');
    expect(after.status).toBe('healthy');
    expect(after.cache).toMatchObject({ ok: true, state: 'ok', corrupt: 1, damage: { problem: '1 record failed the checksum', action: 'removed' } });
    expect(await s.call('get_episode', { episode_id })).toEqual(original);
    const hits = s.app.cache.stats().hits;
    expect(await s.call('get_episode', { episode_id })).toEqual(original);
    expect(s.app.cache.stats().hits).toBe(hits + 1);
  });
});
