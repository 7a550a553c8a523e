import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { anyObject } from './schemas/common.js';

export const getMetrics = defineTool({
  name: 'get_metrics',
  title: 'Get metrics',
  toolset: 'ops',
  description: 'Calls, errors and p50/p95 latency per tool in this namespace since start, episode success rate, cache hit rate.',
  input: z.object({}),
  output: z.object({
    since: z.string(),
    tools: z.array(z.looseObject({ name: z.string(), calls: z.number() })),
    episodes: anyObject,
    cache: anyObject,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_input, ctx) {
    const { metrics, health, episodes } = ctx.services;
    const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
    // Other namespaces' calls are theirs: process-wide figures are for the operator, on /metrics.
    const tools = [...metrics.toolsIn(ctx.namespace)].map(([name, s]) => ({
      name,
      calls: s.calls,
      errors: s.errors,
      p50_ms: r2(metrics.percentile(name, 50, ctx.namespace)),
      p95_ms: r2(metrics.percentile(name, 95, ctx.namespace)),
      mean_ms: r2(s.totalMs / s.calls)!,
    }));
    const e = await episodes.counts(ctx.namespace);
    const c = health.cacheStats();
    return {
      since: new Date(health.startedAt).toISOString(),
      tools: tools.sort((a, b) => b.calls - a.calls),
      episodes: { ...e, success_rate: e.completed ? Math.round((e.successes / e.completed) * 1000) / 1000 : null },
      cache: {
        hits: c.hits,
        misses: c.misses,
        errors: c.errors,
        hit_rate: c.hits + c.misses ? Math.round((c.hits / (c.hits + c.misses)) * 1000) / 1000 : null,
      },
    };
  },
});
