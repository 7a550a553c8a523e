import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const healthCheck = defineTool({
  name: 'health_check',
  title: 'Health check',
  toolset: 'ops',
  description:
    'Report whether Cairn is healthy, and if not why (problems): primary database (reachable, writable, latency, circuit breaker, size, free disk, lock waits), cache, item counts for this namespace, ' +
    'process memory, uptime, version, enabled toolsets, the active embedder, the sandbox pool and how the search index was loaded. Cheap; safe to call any time.',
  input: z.object({}),
  output: z.object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    problems: z.array(z.string()).describe('Why the status is not healthy, one sentence each; empty when healthy.'),
    version: z.string(),
    uptime_s: z.number(),
    namespace: z.string(),
    primary: z.object({
      ok: z.boolean(),
      url: z.string(),
      latency_ms: z.number().nullable(),
      breaker: z.string(),
      error: z.string().optional(),
      size_bytes: z.number().nullable(),
      writable: z.boolean().describe('False when the database is read-only or the last write found the disk full.'),
      write_error: z.string().optional().describe('Why writes fail, and what to do.'),
      free_bytes: z.number().nullable().describe('Bytes free on the database file system (embedded databases).'),
      lock_wait_ms: z.number().nullable().describe('How long a write has been waiting for a lock held by another process, or null.'),
    }),
    cache: z.object({
      ok: z.boolean(),
      state: z.enum(['checking', 'ok', 'disabled']).describe('checking the file before first use (misses meanwhile), in use, or disabled'),
      reason: z.string().optional().describe('Why the cache is not in use.'),
      hits: z.number(),
      misses: z.number(),
      errors: z.number(),
      corrupt: z.number().describe('Records that failed their checksum: each a miss, never served.'),
      stale: z.number(),
      entries: z.number(),
      bytes: z.number(),
      path: z.string(),
      damage: z.object({ at: z.string(), problem: z.string(), action: z.string() }).optional().describe('Damage found in the cache file and what was done.'),
    }),
    counts: z.object({ memories: z.number(), forgotten: z.number(), episodes_open: z.number(), episodes_completed: z.number(), steps: z.number() }),
    process: z.object({ rss_bytes: z.number(), heap_used_bytes: z.number(), node: z.string() }),
    toolsets: z.array(z.string()),
    embedder: z.record(z.string(), z.unknown()).optional().describe('Active embedder, its status and why.'),
    sandbox: z.record(z.string(), z.unknown()).optional().describe('Sandbox pool: workers, busy, queued, runs, recycled, terminated.'),
    search: z
      .object({
        engine: z.string(),
        index: z
          .object({
            source: z.enum(['snapshot', 'rebuilt']),
            documents: z.number(),
            embedder: z.string(),
            load_ms: z.number(),
            position: z.object({ memories: z.number(), episodes: z.number() }),
            caught_up: z.number(),
            saved: z.object({ position: z.object({ memories: z.number(), episodes: z.number() }), bytes: z.number(), saved_at: z.string() }).nullable(),
          })
          .nullable()
          .describe('The namespace index in this process: loaded from its snapshot or rebuilt, and what of it is saved; null until first queried.'),
      })
      .optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (_input, ctx) => ctx.services.health.check(ctx.namespace),
});
