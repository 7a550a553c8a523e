import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/runner.js';
import type { RunResult, Sandbox } from '../../sandbox/types.js';

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox({ poolSize: 2, maxQueue: 0 });
});
afterAll(() => sandbox.close());

const context = { task: 'oom' };
/**
 * Out-of-memory shapes. A bomb inside a promise job that grows the WASM heap makes the runtime's
 * dispose abort the module (upstream #257) whenever it runs on a module whose heap has not been
 * used before, e.g. one just recycled; the other two fail at once without touching the heap. So
 * every job bomb here hits the bug and forces a recycle (measured: 6 of 6 at 12 MB).
 */
const JOB_BOMB = '(async () => { await 0; const a = []; for (;;) a.push([{}, {}, {}, {}]) })()';
const BOMBS = [JOB_BOMB, 'new Uint8Array(1e9)', 'new ArrayBuffer(2 ** 31 - 1)', 'new Float64Array(2 ** 25)'];

it('200 consecutive out-of-memory runs leave the sandbox working', async () => {
  const statuses: RunResult['status'][] = [];
  // Two lanes, one per worker: every run in the sandbox is an out-of-memory run until all 200 end.
  await Promise.all(
    [0, 1].map(async (lane) => {
      for (let i = lane; i < 200; i += 2) {
        const r = await sandbox.run({ code: BOMBS[i % BOMBS.length]!, context, limits: { memory_mb: 12, timeout_ms: 20_000 } });
        statuses.push(r.status);
      }
    }),
  );
  expect(statuses).toHaveLength(200);
  expect(statuses.filter((s) => s !== 'memory_limit')).toEqual([]);
  // 50 of the runs poison their module on dispose; each time the worker loads a fresh one.
  await expect.poll(() => sandbox.stats().recycled).toBeGreaterThanOrEqual(25);
  expect(sandbox.stats()).toMatchObject({ terminated: 0, runs: 200 });

  expect(await sandbox.run({ code: '[1, 2, 3].map((x) => x * x)', context })).toMatchObject({ status: 'success', result: [1, 4, 9] });
  // A legitimate run that needs most of a small heap still fits.
  const big = await sandbox.run({ code: 'const b = new Uint8Array(3 * 1024 * 1024).fill(7); b[b.length - 1]', context, limits: { memory_mb: 4 } });
  expect(big).toMatchObject({ status: 'success', result: 7 });
  const normal = await sandbox.run({ code: 'Array.from({ length: 1e5 }, (_, i) => i).reduce((a, b) => a + b, 0)', context });
  expect(normal).toMatchObject({ status: 'success', result: 4999950000 });
});
