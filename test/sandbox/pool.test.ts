import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/runner.js';
import type { RunRequest, Sandbox } from '../../sandbox/types.js';
import { resolveWorkerUrl } from '../../sandbox/worker-url.js';
import { CairnError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';

const stuckWorker = new URL('./fixtures/stuck-worker.mjs', import.meta.url);
const ctx = { task: 'test' };
const req = (code: string, limits?: RunRequest['limits']): RunRequest => ({ code, context: ctx, ...(limits ? { limits } : {}) });

let open: Sandbox[] = [];
const make = (opts: Parameters<typeof createSandbox>[0] = {}) => {
  const sb = createSandbox(opts);
  open.push(sb);
  return sb;
};
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

async function rejection(p: Promise<unknown>): Promise<CairnError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  return err as CairnError;
}

describe('watchdog', () => {
  it('terminates and replaces a worker stuck past its deadline plus grace', async () => {
    const sb = make({ workerUrl: stuckWorker, poolSize: 1, graceMs: 50 });
    const r = await sb.run(req('hang', { timeout_ms: 100 }));
    expect(r.status).toBe('timeout');
    expect(r.error?.message).toMatch(/terminated and replaced/);
    expect(sb.stats().terminated).toBe(1);
    const next = await sb.run(req('fine'));
    expect(next).toMatchObject({ status: 'success', result: 42 });
    expect(sb.stats()).toMatchObject({ workers: 1, runs: 2, terminated: 1 });
  });

  it('also stops a real QuickJS worker wedged in a native call that never checks the deadline', async () => {
    // indexOf over a 4-billion-slot sparse array loops in C without consulting the interrupt
    // handler (measured: still running 3 s past a 200 ms deadline), so only the watchdog ends it.
    const sb = make({ poolSize: 1, graceMs: 200 });
    // A warm worker and a deadline well past start-up, so on a loaded machine the script is surely
    // inside indexOf when the deadline passes (else the interrupt handler stops it the normal way).
    expect(await sb.run(req('"warm"'))).toMatchObject({ status: 'success' });
    const r = await sb.run(req('Array(2 ** 32 - 1).indexOf(1)', { timeout_ms: 1000 }));
    expect(r.status).toBe('timeout');
    expect(r.error?.message).toMatch(/did not stop within 200 ms more; its worker was terminated and replaced/);
    expect(sb.stats().terminated).toBe(1);
    expect(await sb.run(req('"alive"'))).toMatchObject({ status: 'success', result: 'alive' });
  });

  it('reports a worker that dies mid-run as an error and replaces it', async () => {
    const sb = make({ workerUrl: stuckWorker, poolSize: 1 });
    const r = await sb.run(req('crash'));
    expect(r.status).toBe('error');
    expect(r.error).toMatchObject({ name: 'SandboxError' });
    expect(await sb.run(req('fine'))).toMatchObject({ status: 'success', result: 42 });
  });

  it('keeps a worker’s stdout off the process stdout and logs it instead', async () => {
    const lines: string[] = [];
    const sb = make({ workerUrl: stuckWorker, poolSize: 1, logger: createLogger('warn', (l) => lines.push(l)) });
    expect(await sb.run(req('shout'))).toMatchObject({ status: 'success' });
    await expect.poll(() => lines.join('')).toMatch(/not protocol/);
  });
});

describe('queue and back-pressure', () => {
  it('fails fast with SANDBOX_BUSY when every worker is busy and the queue is full', async () => {
    const sb = make({ poolSize: 1, maxQueue: 1 });
    const running = sb.run(req('for(;;){}', { timeout_ms: 400 }));
    const queued = sb.run(req('for(;;){}', { timeout_ms: 400 }));
    const err = await rejection(sb.run(req('1')));
    // Workers start lazily, so both may still be queued for the first worker.
    expect(err).toBeCairnError('SANDBOX_BUSY', /^sandbox busy: \d scripts running and \d queued \(pool 1, queue 1\); retry/);
    expect(sb.stats().busy + sb.stats().queued).toBe(2);
    expect((await running).status).toBe('timeout');
    expect((await queued).status).toBe('timeout');
    expect(await sb.run(req('1 + 1'))).toMatchObject({ status: 'success', result: 2 });
  });

  it('runs queued scripts in order once a worker frees up', async () => {
    const sb = make({ poolSize: 1, maxQueue: 10 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => sb.run(req(`${n} * 10`))));
    expect(results.map((r) => r.result)).toEqual([10, 20, 30, 40, 50]);
    expect(sb.stats()).toMatchObject({ workers: 1, runs: 5, queued: 0, busy: 0 });
  });

  it('drops an aborted queued run and replaces the worker of an aborted running one', async () => {
    const sb = make({ poolSize: 1, maxQueue: 5 });
    const runningCtl = new AbortController();
    const queuedCtl = new AbortController();
    const running = sb.run(req('for(;;){}', { timeout_ms: 20_000 }), runningCtl.signal);
    const queued = sb.run(req('1'), queuedCtl.signal);
    queuedCtl.abort(new Error('client went away'));
    await expect(queued).rejects.toThrow('client went away');
    await expect.poll(() => sb.stats().busy).toBe(1);
    runningCtl.abort(new Error('cancelled'));
    await expect(running).rejects.toThrow('cancelled');
    expect(sb.stats().terminated).toBe(1);
    expect(await sb.run(req('"after"'))).toMatchObject({ status: 'success', result: 'after' });
  });

  it('rejects an already-aborted signal without running', async () => {
    const sb = make({ poolSize: 1 });
    await expect(sb.run(req('1'), AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
    expect(sb.stats().runs).toBe(0);
  });
});

describe('lifecycle and validation', () => {
  it('close rejects queued and running runs, then refuses new ones', async () => {
    const sb = make({ poolSize: 1, maxQueue: 5 });
    const running = sb.run(req('for(;;){}', { timeout_ms: 20_000 }));
    const queued = sb.run(req('1'));
    const failures = [rejection(running), rejection(queued)];
    await expect.poll(() => sb.stats().busy).toBe(1);
    await sb.close();
    for (const err of await Promise.all(failures)) expect(err).toBeCairnError('SANDBOX_ERROR');
    expect(await rejection(sb.run(req('1')))).toBeCairnError('SANDBOX_ERROR', /closed/);
    expect(sb.stats().workers).toBe(0);
    await sb.close();
  });

  it('rejects code over 100 KB and limits beyond the caps with INVALID_INPUT', async () => {
    const sb = make({ poolSize: 1, maxLimits: { timeout_ms: 10_000 } });
    expect(await rejection(sb.run(req('//' + 'x'.repeat(100 * 1024))))).toBeCairnError('INVALID_INPUT', /code is 102402 bytes; at most 102400 bytes/);
    expect(await rejection(sb.run(req('1', { timeout_ms: 20_000 })))).toBeCairnError(
      'INVALID_INPUT',
      /limits.timeout_ms 20000 is out of range: must be an integer from 1 to 10000/,
    );
    expect(await rejection(sb.run(req('1', { memory_mb: 0 })))).toBeCairnError('INVALID_INPUT');
    expect(await rejection(sb.run(req('1', { memory_mb: 1.5 })))).toBeCairnError('INVALID_INPUT');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await rejection(sb.run({ code: '1', context: { task: 't', input: cyclic } }))).toBeCairnError('INVALID_INPUT', /context must be JSON-serialisable/);
    expect(sb.stats().workers).toBe(0);
  });

  it('accepts code of exactly 100 KB', async () => {
    const sb = make({ poolSize: 1 });
    const code = '1;//' + 'x'.repeat(100 * 1024 - 4);
    expect(await sb.run(req(code))).toMatchObject({ status: 'success', result: 1 });
  });

  it('validates its options at construction', () => {
    expect(() => createSandbox({ poolSize: 0 })).toThrow(expect.toBeCairnError('CONFIG_INVALID', /poolSize 0 is invalid/));
    expect(() => createSandbox({ maxLimits: { memory_mb: 1024 } })).toThrow(
      expect.toBeCairnError('CONFIG_INVALID', /max memory_mb 1024 is invalid: must be an integer from 1 to 256/),
    );
    expect(() => createSandbox({ graceMs: -1 })).toThrow(expect.toBeCairnError('CONFIG_INVALID'));
  });

  it('names npm run build when the compiled worker is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-sandbox-'));
    try {
      const from = pathToFileURL(join(dir, 'sandbox', 'runner.ts')).href;
      expect(() => resolveWorkerUrl(from)).toThrow(/dist\/sandbox\/worker\.js; run "npm run build" first/);
      const compiled = pathToFileURL(join(dir, 'dist', 'sandbox', 'runner.js')).href;
      expect(() => resolveWorkerUrl(compiled)).toThrow(/SANDBOX_ERROR|npm run build/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the compiled worker from the TypeScript source', () => {
    expect(resolveWorkerUrl().pathname).toMatch(/\/dist\/sandbox\/worker\.js$/);
  });
});
