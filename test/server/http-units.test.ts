import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createProgress } from '../../src/commands/progress.js';
import { isLoopback } from '../../src/config/http.js';
import { parseTokenSpec } from '../../src/config/tokens.js';
import { isNetworkError, prefetchModel } from '../../src/ops/prefetch-model.js';
import { createAuthenticator } from '../../src/server/auth.js';
import { createHostCheck } from '../../src/server/host-check.js';
import { createRateLimiter } from '../../src/server/rate-limit.js';

const T1 = 'token-one-0123456789';
const T2 = 'token-two-0123456789==';

describe('tokens and authentication', () => {
  it('parses token=namespace entries, with padding, commas, new lines and comments', () => {
    expect(parseTokenSpec(`${T1}=alpha, ${T2}=beta`)).toEqual([
      { token: T1, namespace: 'alpha' },
      { token: T2, namespace: 'beta' },
    ]);
    expect(parseTokenSpec('@tokens', 'CAIRN_TOKENS', () => `# comment\n${T1}=alpha\n\n`)).toEqual([{ token: T1, namespace: 'alpha' }]);
    expect(() => parseTokenSpec('', 'CAIRN_TOKENS')).toThrow(expect.toBeCairnError('CONFIG_INVALID', /no entries/));
    expect(() => parseTokenSpec(`${T1}`)).toThrow(expect.toBeCairnError('CONFIG_INVALID', /entry 1 is invalid: expected token=namespace/));
    expect(() => parseTokenSpec('tok with space 0123456789=a')).toThrow(expect.toBeCairnError('CONFIG_INVALID', /may contain only/));
  });

  it('accepts only configured bearer tokens and maps each to its namespace', () => {
    const auth = createAuthenticator(parseTokenSpec(`${T1}=alpha,${T2}=beta`), 'default');
    expect(auth.required).toBe(true);
    expect(auth.check(`Bearer ${T2}`)).toEqual({ ok: true, principal: { id: 't2', namespace: 'beta' } });
    expect(auth.check(`bearer ${T1}`)).toEqual({ ok: true, principal: { id: 't1', namespace: 'alpha' } });
    expect(auth.check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(auth.check(`Basic ${T1}`)).toEqual({ ok: false, reason: 'missing' });
    expect(auth.check(`Bearer ${T1}x`)).toEqual({ ok: false, reason: 'invalid' });
    const open = createAuthenticator([], 'home');
    expect(open.check(undefined)).toEqual({ ok: true, principal: { id: 'local', namespace: 'home' } });
  });
});

describe('Host and Origin checks', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.2', '::', 'example.com']) expect(isLoopback(h)).toBe(false);
  });

  it('accepts loopback names and the bound address, refuses others', () => {
    const c = createHostCheck('127.0.0.1', [], []);
    expect(c.check('127.0.0.1:8765', undefined)).toBeNull();
    expect(c.check('localhost:8765', 'http://localhost:3000')).toBeNull();
    expect(c.check('[::1]:8765', undefined)).toBeNull();
    expect(c.check('attacker.example:8765', undefined)).toMatch(/not accepted/);
    expect(c.check(undefined, undefined)).toMatch(/missing Host/);
    expect(c.check('localhost', 'https://attacker.example')).toMatch(/Origin/);
    expect(c.check('localhost', 'null')).toMatch(/Origin/);
    const any = createHostCheck('10.0.0.5', ['*'], ['https://app.example.com']);
    expect(any.check('whatever.example', 'https://app.example.com')).toBeNull();
    expect(any.check('10.0.0.5', 'https://other.example.com')).toMatch(/Origin/);
  });
});

describe('rate limiter', () => {
  it('allows a burst of 1.5× the rate, then refills with time; reads and writes apart', () => {
    const clock = createManualClock();
    const rl = createRateLimiter({ reads: 10, writes: 2 }, clock);
    for (let i = 0; i < 3; i++) expect(rl.take('t1', 'write')).toEqual({ ok: true });
    expect(rl.take('t1', 'write')).toEqual({ ok: false, retryAfterS: 1 });
    expect(rl.take('t2', 'write')).toEqual({ ok: true });
    for (let i = 0; i < 15; i++) expect(rl.take('t1', 'read').ok).toBe(true);
    expect(rl.take('t1', 'read').ok).toBe(false);
    clock.advance(500);
    expect(rl.take('t1', 'write')).toEqual({ ok: true });
    expect(rl.take('t1', 'write').ok).toBe(false);
    expect(rl.take('t1', 'write', 10)).toEqual({ ok: false, retryAfterS: 5 });
    expect(createRateLimiter({ reads: 0, writes: 0 }, clock).take('x', 'write', 1e6)).toEqual({ ok: true });
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
  };

  it('prints plain lines at most every interval when not a terminal', () => {
    let t = 0;
    const { out, stream } = sink(false);
    const p = createProgress('export', { stream, total: 100, everyMs: 1000, now: () => t });
    p.update(10);
    t = 500;
    p.update(20);
    t = 1500;
    p.update(60);
    p.finish('done');
    expect(out).toEqual(['export: 10/100 (10%)\n', 'export: 60/100 (60%)\n', 'done\n']);
  });

  it('redraws a bar in place on a terminal', () => {
    const { out, stream } = sink(true);
    const p = createProgress('reindex', { stream, total: 4, everyMs: 0, now: () => 0 });
    p.update(2);
    p.finish();
    expect(out[0]).toMatch(/^\rreindex \[#{12}\.{12}\] {2}50% 2\/4/);
    expect(out.at(-1)).toMatch(/\n$/);
  });
});

describe('prefetch-model', () => {
  it('says there is no network, and what to do, when the download fails to connect', async () => {
    const offline = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND huggingface.co'), { code: 'ENOTFOUND' }) });
    };
    const err = await prefetchModel({ model: 'Xenova/all-MiniLM-L6-v2', cacheDir: '/tmp/models', load: offline }).catch((e: unknown) => e);
    expect(err).toBeCairnError(
      'EMBEDDER_UNAVAILABLE',
      /cannot download Xenova\/all-MiniLM-L6-v2: no network connection \(fetch failed ENOTFOUND\).*copy \/tmp\/models.*CAIRN_MODEL_DIR/,
    );
    expect(isNetworkError(new Error('Could not locate file'))).toBe(false);
  });

  it('reports byte progress across files and disposes the loaded model', async () => {
    const seen: Array<[number, number]> = [];
    let disposed = false;
    const r = await prefetchModel({
      model: 'm',
      cacheDir: '/tmp/x',
      onProgress: (l, t) => seen.push([l, t]),
      load: async (_task, _model, o) => {
        o.progress_callback({ status: 'progress', file: 'config.json', loaded: 50, total: 100 });
        o.progress_callback({ status: 'done', file: 'config.json' });
        o.progress_callback({ status: 'progress', file: 'onnx/model.onnx', loaded: 10, total: 1000 });
        o.progress_callback({ status: 'done', file: 'onnx/model.onnx' });
        return {
          dispose: async () => {
            disposed = true;
          },
        };
      },
    });
    expect(r).toEqual({ files: ['config.json', 'onnx/model.onnx'], bytes: 1100 });
    expect(seen.at(-1)).toEqual([1100, 1100]);
    expect(disposed).toBe(true);
  });
});
