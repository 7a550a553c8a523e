import type { App } from '../app.js';
import { requiredEmbedderFailed, writeHealth } from '../ops/health.js';
import type { SessionKind } from './sessions.js';

/**
 * The `/readyz` answer: 200 when the database answers reads and takes writes, else 503 (a
 * read-only or full database is not ready: every write would fail). The embedder is reported;
 * it is required only with CAIRN_EMBEDDINGS=transformers, where a failed model load is a 503 too.
 */
export async function readiness(app: App, sessions: Record<SessionKind, number>): Promise<{ status: 200 | 503; body: Record<string, unknown> }> {
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await app.db.execute('SELECT 1');
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const write = writeHealth(app.db);
  const embedder = app.embeddings.state();
  // The hashing embedder answers while a model loads or after it failed, so in other modes this never blocks readiness.
  const embedderFailed = requiredEmbedderFailed(app.config.embeddings, embedder);
  const ready = error === undefined && write.writable && !embedderFailed;
  return {
    status: ready ? 200 : 503,
    body: {
      status: ready ? 'ready' : 'unavailable',
      db: {
        ok: error === undefined,
        latency_ms: Math.round((performance.now() - t0) * 100) / 100,
        breaker: app.db.breaker().state,
        ...(error ? { error } : {}),
        writable: write.writable,
        ...(write.write_error ? { write_error: write.write_error } : {}),
        lock_wait_ms: write.lock_wait_ms,
      },
      embedder: { status: embedder.status, active: embedder.active, reason: embedder.reason, required: app.config.embeddings === 'transformers' },
      sessions,
    },
  };
}
