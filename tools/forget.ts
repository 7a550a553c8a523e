import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { inEitherNamespace } from './layer/scope.js';

export const forget = defineTool({
  name: 'forget',
  title: 'Forget (or restore) a memory',
  toolset: 'memory',
  description:
    'Hide a wrong or outdated memory from query_memory; it is kept (history at cairn://memories/{id}), and restore: true brings it back (also a superseded or merged one).',
  input: z.object({
    id: z.string().min(1).max(64),
    reason: z.string().max(500).optional(),
    restore: z.boolean().optional(),
  }),
  output: z.object({ id: z.string(), status: z.enum(['forgotten', 'restored']) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    if (input.restore) {
      await inEitherNamespace(ctx, (ns) => ctx.services.memory.restore(ns, input.id));
      return { id: input.id, status: 'restored' as const };
    }
    await inEitherNamespace(ctx, (ns) => ctx.services.memory.forget(ns, input.id, input.reason));
    return { id: input.id, status: 'forgotten' as const };
  },
});
