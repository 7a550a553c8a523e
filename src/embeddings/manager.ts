import { type Clock, systemClock } from '../clock.js';
import { CairnError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { createHashingEmbedder } from './hashing.js';
import { isRuntimeMissing } from './runtime.js';
import { createTransformersEmbedder, DEFAULT_MODEL, type ModelDtype, type TransformersEmbedderOptions } from './transformers.js';
import type { Embedder, EmbedderChangeListener, EmbedderManager, EmbedderMode, EmbedderState, EmbedderStatus } from './types.js';

/** Options of {@link createEmbedderManager}; each maps to one setting of the entry point. */
export interface EmbedderManagerOptions {
  /** `auto` (model when it loads, hashing meanwhile and on failure), `hashing` (never a model) or `transformers` (model required). Default `auto`. */
  mode?: EmbedderMode;
  /** Model id or absolute folder path. Default `Xenova/all-MiniLM-L6-v2`. */
  model?: string;
  /** Folder of local models (see {@link TransformersEmbedderOptions.modelDir}). Default none. */
  modelDir?: string;
  /** Download cache. Default: the library's; pass a folder under the data home. */
  cacheDir?: string;
  /** Never download. Default false. */
  offline?: boolean;
  /** Folder of `cairn embeddings install` (see {@link TransformersEmbedderOptions.runtimeDir}). Default none. */
  runtimeDir?: string;
  /** Model weight variant. Default `fp32`. */
  dtype?: ModelDtype;
  /** Dimension of the hashing embedder. Default 384. */
  hashingDim?: number;
  /** Default: an info-level logger on stderr. */
  logger?: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Loads the model. Default {@link createTransformersEmbedder}; replaceable in tests. */
  loadModel?: (options: TransformersEmbedderOptions) => Promise<Embedder>;
}

const MODES: readonly EmbedderMode[] = ['auto', 'hashing', 'transformers'];

/**
 * Serves the hashing embedder at once and, in modes `auto` and `transformers`, loads the model in
 * the background after `start()`, switching to it when it is ready (listeners are told, so
 * stored vectors can be recomputed). A failed load is logged once and leaves the hashing
 * embedder active, with the reason in `state()`.
 */
export function createEmbedderManager(options: EmbedderManagerOptions = {}): EmbedderManager {
  const mode = options.mode ?? 'auto';
  if (!MODES.includes(mode)) {
    throw new CairnError('CONFIG_INVALID', `embeddings mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  }
  const model = options.model ?? DEFAULT_MODEL;
  const logger = (options.logger ?? createLogger()).child({ component: 'embeddings' });
  const clock = options.clock ?? systemClock;
  const loadModel = options.loadModel ?? createTransformersEmbedder;
  const hashing = createHashingEmbedder(options.hashingDim === undefined ? {} : { dim: options.hashingDim });
  const listeners = new Set<EmbedderChangeListener>();

  let current: Embedder = hashing;
  let modelEmbedder: Embedder | undefined;
  let loading: Promise<void> | undefined;
  let failure: CairnError | undefined;
  let closed = false;
  let state: EmbedderState =
    mode === 'hashing'
      ? { active: hashing.id, status: 'hashing', reason: "embeddings mode is 'hashing': no model is loaded", model: null, since: clock.now() }
      : { active: hashing.id, status: 'hashing', reason: `model ${model} not loaded yet (loading has not started)`, model, since: clock.now() };

  const setState = (status: EmbedderStatus, reason: string, error?: CairnError) => {
    state = { active: current.id, status, reason, model: state.model, since: clock.now() };
    if (error) state.error = { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  };

  const load = async (): Promise<void> => {
    const started = clock.now();
    setState('loading', `loading ${model} in the background; the hashing embedder answers until it is ready`);
    logger.info('loading embedding model', { model, mode });
    try {
      const loaded = await loadModel({
        model,
        ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }),
        ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
        ...(options.offline === undefined ? {} : { offline: options.offline }),
        ...(options.runtimeDir === undefined ? {} : { runtimeDir: options.runtimeDir }),
        ...(options.dtype === undefined ? {} : { dtype: options.dtype }),
      });
      if (closed) {
        await loaded.dispose?.();
        return;
      }
      modelEmbedder = loaded;
      current = loaded;
      const ms = clock.now() - started;
      setState('ready', `${model} loaded in ${ms} ms`);
      logger.info('embedding model ready', { model, id: loaded.id, dim: loaded.dim, ms });
      for (const listener of listeners) notify(listener, loaded);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const details = err instanceof CairnError ? err.details : undefined;
      failure = new CairnError('EMBEDDER_UNAVAILABLE', `embedding model ${model} is unavailable: ${reason}`, {
        cause: err,
        ...(details === undefined ? {} : { details }),
      });
      if (isRuntimeMissing(err) && mode === 'auto') {
        // The default install: not a fault, so the hashing embedder is simply what runs.
        setState('hashing', `${reason} (model ${model})`, failure);
        logger.info('embeddings runtime not installed; using the hashing embedder', { model, active: hashing.id, install: 'cairn embeddings install' });
        return;
      }
      setState('failed', `${model} could not be loaded (${reason}); using the hashing embedder ${hashing.id}`, failure);
      const fields = { model, reason, active: hashing.id };
      if (mode === 'transformers') logger.error('embedding model unavailable; using the hashing embedder', fields);
      else logger.warn('embedding model unavailable; using the hashing embedder', fields);
    }
  };

  const notify = (listener: EmbedderChangeListener, embedder: Embedder) => {
    try {
      listener(embedder, state);
    } catch (err) {
      logger.error('embedder change listener failed', { err });
    }
  };

  const start = () => {
    if (mode === 'hashing' || loading) return;
    loading = load();
  };

  return {
    active: () => current,
    state: () => ({ ...state }),
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    start,
    async ready() {
      start();
      await loading;
      if (mode === 'transformers' && failure) throw failure;
    },
    async close() {
      // A load still under way (possibly a download) is not awaited: it disposes itself on arrival.
      closed = true;
      listeners.clear();
      await modelEmbedder?.dispose?.();
    },
  };
}
