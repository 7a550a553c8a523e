import { z } from 'zod';
import { ATTENTION_STATES } from '../src/adhd/types.js';
import { defineTool } from './define-tool.js';
import { energyOut, FITS_NOW_SHOWN, record, taskBriefOut, taskRefSchema, trendOut } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

export const logEnergy = defineTool({
  name: 'log_energy',
  title: 'Log energy and attention',
  toolset: 'adhd',
  description: 'Record energy (1–10) and attention now or at a past time; readings build the profile of energy_report.',
  input: z.object({
    level: z.number().int().min(1).max(10).describe('1 empty, 10 full.'),
    attention: z.enum(ATTENTION_STATES),
    mood: z.string().min(1).max(100).optional(),
    note: z.string().min(1).max(1000).optional(),
    at: isoTime.optional().describe('When it happened, if not now.'),
  }),
  output: z.object({ reading: record, low_energy: z.boolean(), trend: record, fits_now: z.array(taskRefSchema) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const { reading, report } = await ctx.services.adhd.logEnergy(ctx.namespace, {
      level: input.level,
      attention: input.attention,
      ...(input.mood ? { mood: input.mood } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(input.at ? { at: epochMs(input.at) } : {}),
    });
    return {
      reading: energyOut(reading),
      low_energy: reading.level < ctx.services.adhd.rules.lowEnergyBelow,
      trend: trendOut(report.trend),
      fits_now: report.fitsNow.slice(0, FITS_NOW_SHOWN).map(taskBriefOut),
    };
  },
});
