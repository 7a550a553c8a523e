import { z } from 'zod';
import { defineTool } from './define-tool.js';

export const forget = defineTool({
  name: 'forget',
  title: 'Forget (or restore) a memory',
  toolset: 'memory',
  description:
    'Forget a memory by id: it stops appearing in query_memory but is kept (soft delete), so it can be brought back with restore=true. ' +
    'Use when a memory is wrong, outdated or unwanted. Unknown ids give a NOT_FOUND error and change nothing.',
  input: z.object({
    id: z.string().min(1).max(64).describe('Id of the memory, as returned by remember or query_memory.'),
    reason: z.string().max(500).optional().describe('Why it is being forgotten (kept for audit).'),
    restore: z.boolean().optional().describe('true brings a forgotten memory back instead.'),
  }),
  output: z.object({
    id: z.string(),
    status: z.enum(['forgotten', 'restored']),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    if (input.restore) {
      await ctx.services.memory.restore(ctx.namespace, input.id);
      return { id: input.id, status: 'restored' as const };
    }
    await ctx.services.memory.forget(ctx.namespace, input.id, input.reason);
    return { id: input.id, status: 'forgotten' as const };
  },
});
