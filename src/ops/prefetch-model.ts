import { loadTransformers } from '../embeddings/runtime.js';
import { CairnError } from '../errors.js';

/** A download progress event of transformers.js (`progress_callback`). */
export interface DownloadEvent {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/** The part of transformers.js `pipeline` that prefetching uses. */
export type PipelineLoader = (
  task: 'feature-extraction',
  model: string,
  options: { dtype: string; cache_dir: string; progress_callback: (e: DownloadEvent) => void },
) => Promise<{ dispose(): Promise<void> }>;

/** Options of {@link prefetchModel}. */
export interface PrefetchOptions {
  model: string;
  /** Where the server looks for downloaded models (`<home>/models`). */
  cacheDir: string;
  /** Weight variant. Default `fp32` (what the server loads). */
  dtype?: string;
  /** Bytes downloaded so far and the total known so far, across files. */
  onProgress?: (loaded: number, total: number) => void;
  /** Folder of `cairn embeddings install`, searched for transformers.js first. Default none. */
  runtimeDir?: string;
  /** Default: `pipeline` from @huggingface/transformers (imported lazily; see `embeddings/runtime.ts`). */
  load?: PipelineLoader;
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|fetch failed|network/i;

/** True when `err` (or its cause) looks like "no network" rather than a bad model. */
export function isNetworkError(err: unknown): boolean {
  const e = err as { message?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  return NETWORK.test(`${String(e?.code ?? '')} ${String(e?.message ?? '')} ${String(e?.cause?.code ?? '')} ${String(e?.cause?.message ?? '')}`);
}

/**
 * Downloads a model's files into `cacheDir` by loading it once, so later starts work offline
 * (`CAIRN_OFFLINE=1`). Reports byte progress. Fails with `EMBEDDER_UNAVAILABLE` and a message that
 * says what to do: no network (copy the folder from a connected machine, or use CAIRN_MODEL_DIR),
 * or an unknown model.
 */
export async function prefetchModel(opts: PrefetchOptions): Promise<{ files: string[]; bytes: number }> {
  const load =
    opts.load ?? ((await loadTransformers(opts.runtimeDir === undefined ? {} : { runtimeDir: opts.runtimeDir })).pipeline as unknown as PipelineLoader);
  const files = new Map<string, { loaded: number; total: number }>();
  const report = () => {
    let loaded = 0;
    let total = 0;
    for (const f of files.values()) {
      loaded += f.loaded;
      total += f.total;
    }
    opts.onProgress?.(loaded, total);
  };
  try {
    const pipe = await load('feature-extraction', opts.model, {
      dtype: opts.dtype ?? 'fp32',
      cache_dir: opts.cacheDir,
      progress_callback: (e) => {
        if (!e.file || (e.status !== 'progress' && e.status !== 'done')) return;
        const prev = files.get(e.file) ?? { loaded: 0, total: 0 };
        files.set(
          e.file,
          e.status === 'done'
            ? { loaded: prev.total || prev.loaded, total: prev.total || prev.loaded }
            : { loaded: e.loaded ?? prev.loaded, total: e.total ?? prev.total },
        );
        report();
      },
    });
    await pipe.dispose();
  } catch (err) {
    if (isNetworkError(err)) {
      throw new CairnError(
        'EMBEDDER_UNAVAILABLE',
        `cannot download ${opts.model}: no network connection (${reason(err)}). Run "cairn prefetch-model" on a connected machine and copy ${opts.cacheDir} here, or put the model folder somewhere and set CAIRN_MODEL_DIR; until then Cairn uses its hashing embedder`,
        { cause: err },
      );
    }
    throw new CairnError(
      'EMBEDDER_UNAVAILABLE',
      `cannot fetch model ${opts.model} (${reason(err)}); check CAIRN_MODEL names a feature-extraction model with ONNX weights`,
      { cause: err },
    );
  }
  let bytes = 0;
  for (const f of files.values()) bytes += f.total || f.loaded;
  return { files: [...files.keys()], bytes };
}

function reason(err: unknown): string {
  const e = err as { message?: unknown; cause?: { code?: unknown } };
  const code = e?.cause?.code ? ` ${String(e.cause.code)}` : '';
  return `${String(e?.message ?? err)}${code}`;
}
