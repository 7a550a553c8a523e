import { z } from 'zod';
import { BREAK_KINDS } from '../src/adhd/types.js';
import { focusStatusOut, focusStatusSchema, sessionOut, sessionSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

export const focus = defineTool({
  name: 'focus',
  title: 'Focus sessions and breaks',
  toolset: 'adhd',
  description:
    'Track focus so Cairn can spot hyperfocus and missed breaks. action: start (optionally on a task_id from break_down_task, which marks it doing; ' +
    'starting again switches and stops the previous session), stop, break (kind: break | water | movement | meal; break, movement and meal restart the ' +
    'focus clock, water does not), status. Every action returns the status: elapsed minutes, minutes since each kind of break, hyperfocus ' +
    '(more than 90 min without a break) and whether the person is interruptible now (never in hyperfocus; when focused only at energy ≤ 3; ' +
    'always when scattered). Check interruptible before raising anything unrelated.',
  input: z.object({
    action: z.enum(['start', 'stop', 'status', 'break']),
    task_id: z.string().min(1).max(64).optional().describe('For start: the task or step being worked on.'),
    topic: z.string().min(1).max(200).optional().describe('For start: what the focus is on (defaults to the task title).'),
    kind: z.enum(BREAK_KINDS).optional().describe('For break: break (default) | water | movement | meal.'),
    at: isoTime.optional().describe('When it happened, if not now (ISO-8601).'),
  }),
  output: z.object({
    action: z.enum(['start', 'stop', 'status', 'break']),
    message: z.string(),
    stopped: sessionSchema.extend({ minutes: z.number().int() }).nullable().describe('The session this call ended, if any.'),
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
