import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createHashingEmbedder } from '../../src/embeddings/hashing.js';
import { createEmbedderManager, type EmbedderManagerOptions } from '../../src/embeddings/manager.js';
import { runtimeMissing } from '../../src/embeddings/runtime.js';
import type { Embedder, EmbedderMode } from '../../src/embeddings/types.js';
import { createLogger, silentLogger } from '../../src/logger.js';

/** A stand-in model whose load the test finishes by hand. */
function controlledLoad() {
  let resolveLoad!: (e: Embedder) => void;
  let rejectLoad!: (err: Error) => void;
  const calls: unknown[] = [];
  let disposed = 0;
  const model: Embedder = { ...createHashingEmbedder({ dim: 16 }), id: 'fake-model-16', dispose: async () => void disposed++ };
  const loadModel: NonNullable<EmbedderManagerOptions['loadModel']> = (options) => {
    calls.push(options);
    return new Promise<Embedder>((res, rej) => {
      resolveLoad = res;
      rejectLoad = rej;
    });
  };
  return { loadModel, calls, model, finish: () => resolveLoad(model), fail: (m: string) => rejectLoad(new Error(m)), disposed: () => disposed };
}

describe('embedder manager', () => {
  it('in mode hashing never loads a model', async () => {
    const load = controlledLoad();
    const manager = createEmbedderManager({ mode: 'hashing', loadModel: load.loadModel, logger: silentLogger });
    manager.start();
    await manager.ready();
    expect(load.calls).toEqual([]);
    expect(manager.state()).toMatchObject({ active: 'hashing-v1-384', status: 'hashing', model: null });
    expect(manager.state().reason).toMatch(/mode is 'hashing'/);
  });

  it('does not start loading before start(), and start() is idempotent', async () => {
    const clock = createManualClock();
    const load = controlledLoad();
    const manager = createEmbedderManager({ loadModel: load.loadModel, clock, logger: silentLogger, model: 'some/model', offline: true, cacheDir: '/tmp/c' });
    expect(manager.state()).toMatchObject({ status: 'hashing', model: 'some/model', since: clock.now() });
    clock.advance(1000);
    manager.start();
    manager.start();
    expect(load.calls).toEqual([{ model: 'some/model', offline: true, cacheDir: '/tmp/c' }]);
    expect(manager.state()).toMatchObject({ status: 'loading', since: clock.now() });
    clock.advance(250);
    load.finish();
    await manager.ready();
    expect(manager.state()).toMatchObject({ status: 'ready', active: 'fake-model-16', reason: 'some/model loaded in 250 ms' });
  });

  it('notifies each listener once on the switch; unsubscribed and failing listeners do not disturb others', async () => {
    const load = controlledLoad();
    const lines: string[] = [];
    const manager = createEmbedderManager({ loadModel: load.loadModel, logger: createLogger('error', (l) => lines.push(l)) });
    const seen: string[] = [];
    manager.onChange(() => {
      throw new Error('listener bug');
    });
    const off = manager.onChange(() => seen.push('removed'));
    manager.onChange((embedder) => seen.push(embedder.id));
    off();
    manager.start();
    load.finish();
    await manager.ready();
    expect(seen).toEqual(['fake-model-16']);
    expect(lines.filter((l) => l.includes('listener failed'))).toHaveLength(1);
  });

  it('in mode transformers rejects ready() with EMBEDDER_UNAVAILABLE and logs an error once', async () => {
    const load = controlledLoad();
    const lines: string[] = [];
    const manager = createEmbedderManager({ mode: 'transformers', loadModel: load.loadModel, logger: createLogger('info', (l) => lines.push(l)) });
    const ready = manager.ready();
    load.fail('network unreachable');
    const err: unknown = await ready.catch((e: unknown) => e);
    expect(err).toBeCairnError('EMBEDDER_UNAVAILABLE', /Xenova\/all-MiniLM-L6-v2 is unavailable: network unreachable/);
    expect(manager.active().id).toBe('hashing-v1-384');
    expect(manager.state().status).toBe('failed');
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['info', 'error']);
  });

  it('without the embeddings runtime: mode auto stays on hashing (info log), mode transformers fails; both name the command', async () => {
    const missing = () => Promise.reject(runtimeMissing('/home/me/.cairn/runtime'));
    const lines: string[] = [];
    const auto = createEmbedderManager({ mode: 'auto', loadModel: missing, logger: createLogger('info', (l) => lines.push(l)) });
    await auto.ready();
    expect(auto.state()).toMatchObject({
      status: 'hashing',
      active: 'hashing-v1-384',
      reason: expect.stringMatching(/not installed: run "cairn embeddings install"/),
      error: { code: 'EMBEDDER_UNAVAILABLE', details: { runtime: 'missing', install: 'cairn embeddings install' } },
    });
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(['info', 'info']);

    const required = createEmbedderManager({ mode: 'transformers', loadModel: missing, logger: silentLogger });
    const err: unknown = await required.ready().catch((e: unknown) => e);
    expect(err).toBeCairnError('EMBEDDER_UNAVAILABLE', /not installed: run "cairn embeddings install"/);
    expect(required.state()).toMatchObject({ status: 'failed', error: { code: 'EMBEDDER_UNAVAILABLE', details: { runtime: 'missing' } } });
  });

  it('a model that fails to load is reported with its code, without runtime details', async () => {
    const load = controlledLoad();
    const manager = createEmbedderManager({ mode: 'auto', loadModel: load.loadModel, logger: silentLogger });
    manager.start();
    load.fail('bad weights');
    await manager.ready();
    expect(manager.state()).toMatchObject({ status: 'failed', error: { code: 'EMBEDDER_UNAVAILABLE', message: expect.stringMatching(/bad weights/) } });
    expect(manager.state().error?.details).toBeUndefined();
  });

  it('disposes a model that arrives after close()', async () => {
    const load = controlledLoad();
    const manager = createEmbedderManager({ loadModel: load.loadModel, logger: silentLogger });
    manager.start();
    await manager.close();
    load.finish();
    await manager.ready();
    expect(load.disposed()).toBe(1);
    expect(manager.active().id).toBe('hashing-v1-384');
  });

  it('rejects an unknown mode with CONFIG_INVALID', () => {
    expect(() => createEmbedderManager({ mode: 'onnx' as EmbedderMode })).toThrow(
      expect.toBeCairnError('CONFIG_INVALID', /embeddings mode must be one of auto, hashing, transformers, got "onnx"/),
    );
  });

  it('uses the configured hashing dimension', () => {
    expect(createEmbedderManager({ mode: 'hashing', hashingDim: 256 }).active()).toMatchObject({ id: 'hashing-v1-256', dim: 256 });
  });
});
