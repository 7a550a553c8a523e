import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestModel, type TestModel } from '../../scripts/make-test-model.js';
import { createManualClock } from '../../src/clock.js';
import { createEmbedderManager } from '../../src/embeddings/manager.js';
import { createTransformersEmbedder } from '../../src/embeddings/transformers.js';
import type { Embedder } from '../../src/embeddings/types.js';
import { createLogger } from '../../src/logger.js';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

let tmp: string;
let tiny: TestModel;

beforeAll(() => {
  // Any attempt to download fails loudly: these tests must run offline.
  env.fetch = () => Promise.reject(new Error('network is disabled in tests'));
  tmp = mkdtempSync(join(tmpdir(), 'cairn-embeddings-'));
  tiny = makeTestModel({ outDir: join(tmp, 'tiny-bert'), hiddenSize: 32, seed: 7 });
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('transformers embedder on a generated tiny BERT model', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await createTransformersEmbedder({ model: tiny.dir, offline: true, batchSize: 2 });
  });

  afterAll(async () => {
    await embedder.dispose?.();
  });

  it('reports the hidden size as dim and names the model in its id', () => {
    expect(embedder.dim).toBe(32);
    expect(embedder.id).toBe(`transformers:${tiny.dir}`);
  });

  it('returns unit vectors in input order, whatever the batching', async () => {
    const texts = ['a much longer text about an agent that remembers every task it worked on', 'short', '', 'memory of the agent'];
    const together = await embedder.embed(texts);
    expect(together).toHaveLength(4);
    for (const [i, text] of texts.entries()) {
      const v = together[i]!;
      expect(v).toHaveLength(32);
      expect(norm(v)).toBeCloseTo(1, 5);
      const [alone] = await embedder.embed([text]);
      for (let j = 0; j < 32; j++) expect(v[j]).toBeCloseTo(alone![j]!, 5);
    }
  });

  it('is deterministic and distinguishes texts', async () => {
    const [a, b, c] = await embedder.embed(['the agent task', 'the agent task', 'zebra 42 quartz']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Array.from(a!)).not.toEqual(Array.from(c!));
  });

  it('truncates long texts instead of failing', async () => {
    const [v] = await embedder.embed(['word '.repeat(5000)]);
    expect(norm(v!)).toBeCloseTo(1, 5);
  });

  it('loads <modelDir>/<model> and names the model, not the folder', async () => {
    const fromDir = await createTransformersEmbedder({ model: 'tiny-bert', modelDir: tmp, offline: true });
    expect(fromDir).toMatchObject({ id: 'transformers:tiny-bert', dim: 32 });
    const [x] = await fromDir.embed(['memory']);
    const [y] = await embedder.embed(['memory']);
    expect(Array.from(x!)).toEqual(Array.from(y!));
    await fromDir.dispose?.();
  });

  it('fails with EMBEDDER_UNAVAILABLE when the model folder is missing', async () => {
    const err: unknown = await createTransformersEmbedder({ modelDir: join(tmp, 'nowhere'), offline: true }).catch((e: unknown) => e);
    expect(err).toBeCairnError('EMBEDDER_UNAVAILABLE', /no model at .*nowhere.*config\.json missing/);
  });

  it('fails with EMBEDDER_UNAVAILABLE for an uncached Hub model when offline', async () => {
    const err: unknown = await createTransformersEmbedder({ model: 'Xenova/not-a-cached-model', cacheDir: join(tmp, 'cache'), offline: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeCairnError('EMBEDDER_UNAVAILABLE');
    expect((err as Error).message).toMatch(/could not load model "Xenova\/not-a-cached-model"/);
  });
});

describe('embedder manager with the real model', () => {
  it('serves hashing at once, then switches to the model and tells listeners', async () => {
    const clock = createManualClock();
    const lines: string[] = [];
    const manager = createEmbedderManager({ mode: 'auto', model: tiny.dir, offline: true, clock, logger: createLogger('debug', (l) => lines.push(l)) });
    const changes: Array<{ id: string; status: string }> = [];
    manager.onChange((embedder, state) => changes.push({ id: embedder.id, status: state.status }));

    expect(manager.active().id).toBe('hashing-v1-384');
    manager.start();
    expect(manager.state()).toMatchObject({ status: 'loading', active: 'hashing-v1-384', model: tiny.dir });
    const [during] = await manager.active().embed(['still answering while loading']);
    expect(during).toHaveLength(384);

    await manager.ready();
    expect(manager.state()).toMatchObject({ status: 'ready', active: `transformers:${tiny.dir}` });
    expect(changes).toEqual([{ id: `transformers:${tiny.dir}`, status: 'ready' }]);
    const [after] = await manager.active().embed(['now from the model']);
    expect(after).toHaveLength(32);
    expect(lines.some((l) => l.includes('embedding model ready'))).toBe(true);
    await manager.close();
  });

  it('stays on hashing with the reason when the model cannot load, logging once', async () => {
    const lines: string[] = [];
    const manager = createEmbedderManager({ mode: 'auto', modelDir: join(tmp, 'missing'), offline: true, logger: createLogger('warn', (l) => lines.push(l)) });
    await manager.ready();
    manager.start();
    await manager.ready();
    expect(manager.active().id).toBe('hashing-v1-384');
    expect(manager.state()).toMatchObject({ status: 'failed', active: 'hashing-v1-384' });
    expect(manager.state().reason).toMatch(/could not be loaded \(.*no model at .*missing.*\); using the hashing embedder hashing-v1-384/);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', component: 'embeddings' });
  });
});
