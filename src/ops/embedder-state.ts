import type { EmbedderState } from '../embeddings/types.js';

/** What the ops surfaces need from an embedder manager. */
interface HasEmbedderState {
  embedder?: { state(): EmbedderState };
}

/**
 * The active embedder's state when the app carries an embedder manager (`app.embedder`), else
 * null. Read structurally so health, readiness and metrics work with or without one.
 */
export function embedderStateOf(app: object): EmbedderState | null {
  const e = (app as HasEmbedderState).embedder;
  return e && typeof e.state === 'function' ? e.state() : null;
}
