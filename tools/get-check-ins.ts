import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { checkInOut, checkInSchema, iso } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

export const getCheckIns = defineTool({
  name: 'get_check_ins',
  title: 'Check-ins',
  toolset: 'adhd',
  description: 'Nudges (hyperfocus, no water or movement, low energy, stalled task, forgotten episode). Relay one kindly, then acknowledge its id.',
  input: z.object({
    since: isoTime.optional(),
    include_acknowledged: z.boolean().optional(),
    acknowledge: z.array(z.string().min(1).max(64)).max(100).optional().describe('Ids the person has seen.'),
  }),
  output: z.object({ check_ins: z.array(checkInSchema), acknowledged: z.array(z.string()), evaluated_at: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.adhd.checkIns(ctx.namespace, {
      ...(input.since ? { since: epochMs(input.since) } : {}),
      ...(input.include_acknowledged !== undefined ? { includeAcknowledged: input.include_acknowledged } : {}),
      ...(input.acknowledge ? { acknowledge: input.acknowledge } : {}),
    });
    return { check_ins: out.checkIns.map(checkInOut), acknowledged: out.acknowledged, evaluated_at: iso(out.evaluatedAt) };
  },
  reply: { shrink: [{ list: 'check_ins', min: 1 }], hint: 'pass since to see fewer' },
});
