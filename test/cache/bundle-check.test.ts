import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCheckScript } from '../../src/storage/cache-check.js';
import { cairn, cliEnv } from '../cli/run.js';
import { tempHome } from '../helpers/client.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

describe('the cache check from the bundled bin', () => {
  it('finds the checker script from a bundle chunk, a compiled module and the source', () => {
    expect(resolveCheckScript('file:///app/dist/chunks/app-ABC123.js').href).toBe('file:///app/dist/src/storage/cache-check-main.js');
    expect(resolveCheckScript('file:///app/dist/src/storage/cache-check.js').href).toBe('file:///app/dist/src/storage/cache-check-main.js');
    expect(resolveCheckScript('file:///app/src/storage/cache-check.ts').href).toBe('file:///app/dist/src/storage/cache-check-main.js');
  });

  it('checks an existing cache file and keeps the cache on (a second start of dist/cairn.js)', async () => {
    const home = tempHome();
    homes.push(home);
    const first = await cairn(['health'], cliEnv(home));
    expect(first.code, first.stderr).toBe(0);
    const second = await cairn(['health'], cliEnv(home));
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'healthy', cache: { ok: true, state: 'ok' } });
  });
});
