/**
 * Turns texts into L2-normalised vectors of one fixed vector space.
 *
 * `id` names that space: two embedders with the same id produce comparable vectors, and a change
 * of id means stored vectors must be recomputed (reindex), never mixed with new ones.
 */
export interface Embedder {
  /** Identifies the vector space, e.g. `hashing-v1-384` or `transformers:Xenova/all-MiniLM-L6-v2`. */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dim: number;
  /**
   * Computing a vector costs less than reading a cached one (the hashing embedder: microseconds);
   * such vectors are never put in the cache, where at 100k memories they took 270 MB.
   */
  readonly cheap?: boolean;
  /**
   * One vector per input text, in input order, each of length `dim` and unit L2 norm. A text with
   * nothing to embed (e.g. empty for the hashing embedder) yields an all-zero vector, never NaN.
   */
  embed(texts: string[]): Promise<Float32Array[]>;
  /** Releases native resources (model sessions). Optional: pure-JS embedders hold none. */
  dispose?(): Promise<void>;
}

/** Which embedders the manager may use. */
export type EmbedderMode = 'auto' | 'hashing' | 'transformers';

/**
 * Where the manager stands:
 * - `hashing`: the hashing embedder is active and no model load is under way (mode `hashing`,
 *   `start()` not called yet, or in mode `auto` the embeddings runtime is not installed);
 * - `loading`: the hashing embedder serves while the model loads in the background;
 * - `ready`: the model is loaded and active;
 * - `failed`: the model could not load; the hashing embedder stays active (`reason` says why).
 */
export type EmbedderStatus = 'hashing' | 'loading' | 'ready' | 'failed';

/** A snapshot for `health_check`: which embedder is active and why. */
export interface EmbedderState {
  /** Id of the active embedder (the vector space new vectors belong to). */
  active: string;
  status: EmbedderStatus;
  /** One sentence a person can act on, e.g. why the model is not in use. */
  reason: string;
  /** The configured model (name or path), or null in mode `hashing`. */
  model: string | null;
  /** Epoch ms (from the manager's clock) when `status` last changed. */
  since: number;
  /**
   * Why the model is not in use, when its load failed: code `EMBEDDER_UNAVAILABLE`, and
   * `details.runtime: 'missing'` with `details.install` (the command to run) when the embeddings
   * runtime is not installed. Absent otherwise.
   */
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** Called when the active embedder changes (e.g. the model became ready). */
export type EmbedderChangeListener = (embedder: Embedder, state: EmbedderState) => void;

/**
 * Hands out the embedder to use right now. The hashing embedder is available at once; the model
 * (modes `auto` and `transformers`) loads in the background after `start()` and replaces it when
 * ready. No method but `ready()` ever waits for the model.
 */
export interface EmbedderManager {
  /** The embedder to use now. Never blocks; changes at most once per process (hashing → model). */
  active(): Embedder;
  /** Current status for health reporting. */
  state(): EmbedderState;
  /**
   * Registers `listener` for changes of the active embedder, so stored vectors of the old space
   * can be recomputed instead of being mixed with the new one. Returns an unsubscribe function.
   */
  onChange(listener: EmbedderChangeListener): () => void;
  /** Starts the background model load (idempotent). Does nothing in mode `hashing`. */
  start(): void;
  /**
   * Settles when the model load has finished (calls `start()` if needed). Resolves at once in
   * mode `hashing` and, in mode `auto`, also when the load failed (the fallback is the answer);
   * rejects with `EMBEDDER_UNAVAILABLE` in mode `transformers` when the model could not load.
   */
  ready(): Promise<void>;
  /** Disposes the model session, if any (shutdown). `active()` must not be used afterwards. */
  close(): Promise<void>;
}
