import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { energyReportOut, record, taskRefSchema } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

export const energyReport = defineTool({
  name: 'energy_report',
  title: 'Energy report',
  toolset: 'adhd',
  description: "The person's energy: current state, trend, hour-of-day and weekday profiles, best focus windows and open steps that fit now.",
  input: z.object({
    window_days: z.number().int().min(1).max(365).optional().describe('Default 14.'),
    time_zone: z.string().min(1).max(64).optional().describe("IANA zone, default the server's."),
    at: isoTime.optional().describe('Report as of this time.'),
  }),
  output: z.object({
    time_zone: z.string(),
    window_days: z.number(),
    n: z.number(),
    current: record.nullable(),
    mean: z.number().nullable(),
    trend: record,
    hourly: z.array(record),
    weekday: z.array(record),
    best_focus_windows: z.array(record),
    fits_now: z.array(taskRefSchema),
    notes: z.array(z.string()),
  }),
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
