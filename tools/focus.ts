import { z } from 'zod';
import { BREAK_KINDS } from '../src/adhd/types.js';
import { defineTool } from './define-tool.js';
import { focusStatusOut, focusStatusSchema, record, sessionOut } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

export const focus = defineTool({
  name: 'focus',
  title: 'Focus sessions and breaks',
  toolset: 'adhd',
  description:
    'Track focus (start on a task_id or topic, stop, break, status) to catch hyperfocus and missed ' +
    'breaks. Check interruptible before raising anything unrelated.',
  input: z.object({
    action: z.enum(['start', 'stop', 'status', 'break']),
    task_id: z.string().min(1).max(64).optional(),
    topic: z.string().min(1).max(200).optional(),
    kind: z.enum(BREAK_KINDS).optional().describe('For break; default break.'),
    at: isoTime.optional().describe('When it happened, if not now.'),
  }),
  output: z.object({
    action: z.enum(['start', 'stop', 'status', 'break']),
    message: z.string(),
    stopped: record.nullable().describe('The session this call ended.'),
    status: focusStatusSchema,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.adhd.focus(ctx.namespace, {
      action: input.action,
      ...(input.task_id ? { taskId: input.task_id } : {}),
      ...(input.topic ? { topic: input.topic } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.at ? { at: epochMs(input.at) } : {}),
    });
    return {
      action: out.action,
      message: out.message,
      stopped: out.stopped ? { ...sessionOut(out.stopped), minutes: out.stopped.minutes } : null,
      status: focusStatusOut(out.status),
    };
  },
});
