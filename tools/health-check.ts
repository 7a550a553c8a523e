import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { anyObject } from './schemas/common.js';

export const healthCheck = defineTool({
  name: 'health_check',
  title: 'Health check',
  toolset: 'ops',
  description: 'Whether Cairn is healthy, and if not why: database, cache, counts, memory, version, embedder, sandbox.',
  input: z.object({}),
  output: z.looseObject({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    problems: z.array(z.string()),
    version: z.string(),
    primary: anyObject,
    counts: anyObject,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_input, ctx) {
    const report = await ctx.services.health.check(ctx.namespace);
    return { ...report, primary: { ...report.primary }, counts: { ...report.counts } };
  },
});
