import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cairn, cliEnv } from '../cli/run.js';
import { startTestServer, type TestServer, tempHome } from '../helpers/client.js';
import { type HttpHarness, raw, startHttp } from '../server/http-helpers.js';

// No model is downloaded in a fresh home and CAIRN_OFFLINE=1 forbids fetching one, so the model
// load fails for real and the hashing embedder answers instead.
const NO_MODEL = { CAIRN_EMBEDDINGS: 'transformers', CAIRN_OFFLINE: '1' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const server = async (env: Record<string, string>): Promise<TestServer> => {
  const s = await startTestServer({ env });
  cleanups.push(() => s.close());
  await s.app.embeddings.ready().catch(() => undefined);
  return s;
};

describe('health when the embedder is required', () => {
  it('health_check is unhealthy, with the reason, when CAIRN_EMBEDDINGS=transformers and the model failed', async () => {
    const s = await server(NO_MODEL);
    const health = await s.call('health_check');
    expect(health.embedder).toMatchObject({ status: 'failed' });
    expect(health.status).toBe('unhealthy');
    expect(health.problems.join(' ')).toMatch(/CAIRN_EMBEDDINGS=transformers requires the model, which failed: .*could not be loaded/);
  });

  it('the same failure in mode auto is the documented fallback: healthy', async () => {
    const s = await server({ ...NO_MODEL, CAIRN_EMBEDDINGS: 'auto' });
    const health = await s.call('health_check');
    expect(health.embedder).toMatchObject({ status: 'failed' });
    expect(health.status).toBe('healthy');
  });

  it('cairn health waits for the required model and exits 1 with the report; /readyz answers 503', async () => {
    const h = tempHome();
    cleanups.push(() => rmSync(h, { recursive: true, force: true }));
    const res = await cairn(['health'], cliEnv(h, NO_MODEL));
    expect(res.code, res.stderr).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ status: 'unhealthy', embedder: { status: 'failed' } });

    const http: HttpHarness = await startHttp({ env: NO_MODEL });
    cleanups.push(() => http.close());
    await http.app.embeddings.ready().catch(() => undefined);
    const ready = await raw(http.base, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'unavailable', db: { ok: true }, embedder: { status: 'failed', required: true } });
  });
});
