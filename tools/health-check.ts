import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const healthCheck = defineTool({
  name: 'health_check',
  title: 'Health check',
  toolset: 'ops',
  description:
    'Report whether Cairn is healthy: primary database (reachable, latency, circuit breaker, size), cache, item counts for this namespace, ' +
    'process memory, uptime, version, enabled toolsets and the active embedder. Cheap; safe to call any time.',
  input: z.object({}),
  output: z.object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
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
    }),
    cache: z.object({ ok: z.boolean(), hits: z.number(), misses: z.number(), errors: z.number(), entries: z.number(), bytes: z.number(), path: z.string() }),
    counts: z.object({ memories: z.number(), forgotten: z.number(), episodes_open: z.number(), episodes_completed: z.number(), steps: z.number() }),
    process: z.object({ rss_bytes: z.number(), heap_used_bytes: z.number(), node: z.string() }),
    toolsets: z.array(z.string()),
    embedder: z.record(z.string(), z.unknown()).optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (_input, ctx) => ctx.app.health.check(ctx.namespace),
});
