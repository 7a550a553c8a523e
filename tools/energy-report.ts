import { z } from 'zod';
import { energyReportOut, energyReportSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

export const energyReport = defineTool({
  name: 'energy_report',
  title: 'Energy report',
  toolset: 'adhd',
  description:
    "Summarise the person's energy from log_energy readings: the current state, the trend (points per day), hour-of-day and weekday profiles " +
    '(mean and n, in their time zone), the best focus windows, and which open steps fit right now. Use it to plan demanding work into good hours ' +
    'and to pick a step that matches the present. Profiles need a few readings a day for a week to mean much; the notes say when data is thin.',
  input: z.object({
    window_days: z.number().int().min(1).max(365).optional().describe('Days of history to use (default 14).'),
    time_zone: z.string().min(1).max(64).optional().describe('IANA zone for the profiles, e.g. "Europe/Berlin" (default: the server\'s CAIRN_TZ).'),
    at: isoTime.optional().describe('Report as of this time instead of now (ISO-8601).'),
  }),
  output: energyReportSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const report = await ctx.services.adhd.energyReport(ctx.namespace, {
      ...(input.window_days !== undefined ? { windowDays: input.window_days } : {}),
      ...(input.time_zone ? { timeZone: input.time_zone } : {}),
      ...(input.at ? { at: epochMs(input.at) } : {}),
    });
    return energyReportOut(report);
  },
});
