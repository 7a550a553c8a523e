import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CairnError } from '../errors.js';
import { loadTransformers } from './runtime.js';
import type { Embedder } from './types.js';

/** Weight variants transformers.js can load (`fp32` → `onnx/model.onnx`, `q8` → `onnx/model_quantized.onnx`). */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

/** Options of {@link createTransformersEmbedder}. */
export interface TransformersEmbedderOptions {
  /** Hugging Face model id, or the absolute path of a model folder. Default `Xenova/all-MiniLM-L6-v2`. */
  model?: string;
  /**
   * Folder of local models. The model is loaded from `<modelDir>/<model>/`, or from `modelDir`
   * itself when it holds a `config.json`; never downloaded. Default: none (Hub id + cache).
   */
  modelDir?: string;
  /** Where downloaded models are cached. Default: the library's own (inside node_modules). */
  cacheDir?: string;
  /**
   * Never touch the network: only local folders and the cache are read. Sets the process-wide
   * `env.allowRemoteModels = false` of transformers.js. Default false.
   */
  offline?: boolean;
  /** Weight variant. Default `fp32`. */
  dtype?: ModelDtype;
  /**
   * Folder of `cairn embeddings install` (`<home>/runtime`), searched for transformers.js before
   * Node resolution from Cairn's own location. Default: none.
   */
  runtimeDir?: string;
  /** Texts per inference call. Default 32. */
  batchSize?: number;
  /**
   * Characters kept per text before tokenisation; the tokenizer then truncates to the model's
   * maximum length (256–512 tokens for MiniLM-class models). Default 8192.
   */
  maxChars?: number;
}

/** The default model: 384-d sentence embeddings, ~90 MB in fp32. */
export const DEFAULT_MODEL = 'Xenova/all-MiniLM-L6-v2';

/** transformers.js `pipeline`, reduced to the feature-extraction use of this module. */
type Pipeline = (task: 'feature-extraction', model: string, options: { dtype: ModelDtype; local_files_only: boolean; cache_dir?: string }) => Promise<unknown>;

/** A callable feature-extraction pipeline, reduced to what this module uses. */
interface Extractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<{ data: unknown; dims: number[]; dispose?(): void }>;
  dispose(): Promise<void>;
}

/**
 * Loads a sentence-embedding model with `@huggingface/transformers` (feature extraction, mean
 * pooling, L2-normalised) and resolves when it can embed. Texts are embedded in batches of
 * similar length (less padding). Id: `transformers:<model>`, plus `:<dtype>` unless fp32.
 * Fails with `EMBEDDER_UNAVAILABLE` (cause attached) when the model cannot be loaded or run, or
 * when transformers.js itself is not installed (`details.runtime: 'missing'`; see `runtime.ts`).
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const model = options.model ?? DEFAULT_MODEL;
  const dtype = options.dtype ?? 'fp32';
  const batchSize = options.batchSize ?? 32;
  const maxChars = options.maxChars ?? 8192;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new CairnError('CONFIG_INVALID', `transformers embedder: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  const source = resolveModelSource(model, options.modelDir);
  const local = source !== model || isAbsolute(model);
  if (local && !existsSync(join(source, 'config.json'))) {
    throw new CairnError(
      'EMBEDDER_UNAVAILABLE',
      `transformers embedder: no model at ${source} (config.json missing); a model folder needs config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx`,
    );
  }

  // A missing runtime is reported as it is (it names the command that installs it).
  const { pipeline, env } = await loadTransformers(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir });
  let extractor: Extractor;
  try {
    if (options.offline) env.allowRemoteModels = false;
    const loaded = await (pipeline as unknown as Pipeline)('feature-extraction', source, {
      dtype,
      local_files_only: local || options.offline === true,
      ...(options.cacheDir === undefined ? {} : { cache_dir: options.cacheDir }),
    });
    extractor = loaded as unknown as Extractor;
  } catch (err) {
    throw new CairnError('EMBEDDER_UNAVAILABLE', `transformers embedder: could not load model "${model}" (${message(err)})`, { cause: err });
  }

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(
      texts.map((t) => (t.length > maxChars ? t.slice(0, maxChars) : t)),
      { pooling: 'mean', normalize: true },
    );
    const [rows, dim] = output.dims;
    if (!(output.data instanceof Float32Array) || rows !== texts.length || dim === undefined) {
      throw new CairnError(
        'EMBEDDER_UNAVAILABLE',
        `transformers embedder: model "${model}" returned dims [${output.dims.join(', ')}], expected [${texts.length}, dim] float32`,
      );
    }
    const data = output.data;
    const vectors = Array.from({ length: rows }, (_, i) => data.slice(i * dim, (i + 1) * dim));
    output.dispose?.();
    return vectors;
  };

  let dim: number;
  try {
    const [probe] = await run(['dimension probe']);
    dim = probe?.length ?? 0;
  } catch (err) {
    await extractor.dispose().catch(() => undefined);
    throw new CairnError('EMBEDDER_UNAVAILABLE', `transformers embedder: model "${model}" loaded but failed to run (${message(err)})`, { cause: err });
  }

  return {
    id: `transformers:${model}${dtype === 'fp32' ? '' : `:${dtype}`}`,
    dim,
    async embed(texts) {
      const vectors = new Array<Float32Array>(texts.length);
      // Similar lengths share a batch, so little compute goes to padding.
      const order = texts.map((_, i) => i).sort((a, b) => (texts[a]?.length ?? 0) - (texts[b]?.length ?? 0));
      for (let start = 0; start < order.length; start += batchSize) {
        const indices = order.slice(start, start + batchSize);
        const batch = await run(indices.map((i) => texts[i] ?? ''));
        indices.forEach((original, row) => {
          vectors[original] = batch[row] ?? new Float32Array(dim);
        });
      }
      return vectors;
    },
    dispose: () => extractor.dispose(),
  };
}

/** Where to load `model` from: a local folder path, or the Hub id itself. */
export function resolveModelSource(model: string, modelDir: string | undefined): string {
  if (isAbsolute(model)) return model;
  if (model.startsWith('./') || model.startsWith('../')) return resolve(model);
  if (modelDir === undefined) return model;
  const dir = resolve(modelDir);
  return existsSync(join(dir, 'config.json')) ? dir : join(dir, model);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
