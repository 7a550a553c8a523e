import type { App } from '../app.js';
import type { SessionKind } from './sessions.js';

/** The `/readyz` answer: 200 when the database answers, else 503; the embedder is reported, not required. */
export async function readiness(app: App, sessions: Record<SessionKind, number>): Promise<{ status: 200 | 503; body: Record<string, unknown> }> {
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await app.db.execute('SELECT 1');
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const embedder = app.embeddings.state();
  return {
    status: error === undefined ? 200 : 503,
    body: {
      status: error === undefined ? 'ready' : 'unavailable',
      db: { ok: error === undefined, latency_ms: Math.round((performance.now() - t0) * 100) / 100, breaker: app.db.breaker().state, ...(error ? { error } : {}) },
      // The hashing embedder answers while a model loads or after it failed, so this never blocks readiness.
      embedder: { status: embedder.status, active: embedder.active, reason: embedder.reason },
      sessions,
    },
  };
}
