import { z } from 'zod';
import { checkInOut, checkInSchema, iso } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

export const getCheckIns = defineTool({
  name: 'get_check_ins',
  title: 'Check-ins',
  toolset: 'adhd',
  description:
    'Gentle nudges Cairn raises without any model: hyperfocus (more than 90 min without a break), no water or movement for more than 120 min ' +
    'while focusing, energy below 4, a task left in doing with no activity, an episode left open for hours. The rules are evaluated at call time, ' +
    'so this works without notifications. Each condition is reported once until it clears. Relay a check-in kindly, then pass its id in ' +
    'acknowledge so it is not shown again. By default only open, unacknowledged check-ins are listed.',
  input: z.object({
    since: isoTime.optional().describe('Only check-ins raised at or after this time (ISO-8601).'),
    include_acknowledged: z.boolean().optional().describe('Also list acknowledged and cleared check-ins (history).'),
    acknowledge: z.array(z.string().min(1).max(64)).max(100).optional().describe('Ids of check-ins the person has seen.'),
  }),
  output: z.object({
    check_ins: z.array(checkInSchema),
    acknowledged: z.array(z.string()).describe('Ids acknowledged by this call (unknown ids are left out).'),
    evaluated_at: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.adhd.checkIns(ctx.namespace, {
      ...(input.since ? { since: epochMs(input.since) } : {}),
      ...(input.include_acknowledged !== undefined ? { includeAcknowledged: input.include_acknowledged } : {}),
      ...(input.acknowledge ? { acknowledge: input.acknowledge } : {}),
    });
    return { check_ins: out.checkIns.map(checkInOut), acknowledged: out.acknowledged, evaluated_at: iso(out.evaluatedAt) };
  },
});
