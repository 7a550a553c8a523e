import { z } from 'zod';
import { ATTENTION_STATES } from '../src/adhd/types.js';
import { energyOut, energyReadingSchema, energyReportOut, FITS_NOW_SHOWN, taskBriefOut, taskBriefSchema, trendSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

export const logEnergy = defineTool({
  name: 'log_energy',
  title: 'Log energy and attention',
  toolset: 'adhd',
  description:
    "Record how the person's energy and attention are right now (or at a past time with at). Ask them a quick 1–10 and a word for attention; " +
    'a few readings a day build the hour-of-day profile that energy_report uses to find their best focus windows. ' +
    'attention: focused | flow | neutral | scattered | hyperfocus | depleted. Returns the reading, whether energy is low (< 4), the trend, ' +
    'and the open steps that fit this energy.',
  input: z.object({
    level: z.number().int().min(1).max(10).describe('1 = empty, 10 = full.'),
    attention: z.enum(ATTENTION_STATES),
    mood: z.string().min(1).max(100).optional().describe('A word or two, e.g. "anxious", "calm".'),
    note: z.string().min(1).max(1000).optional().describe('Context, e.g. "after a bad night".'),
    at: isoTime.optional().describe('When this was true, if not now (ISO-8601).'),
  }),
  output: z.object({
    reading: energyReadingSchema,
    low_energy: z.boolean().describe('Energy below 4: a check-in is raised and low-energy steps are suggested.'),
    trend: trendSchema,
    fits_now: z.array(taskBriefSchema),
  }),
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
      trend: energyReportOut(report).trend,
      fits_now: report.fitsNow.slice(0, FITS_NOW_SHOWN).map(taskBriefOut),
    };
  },
});
