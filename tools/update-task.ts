import { z } from 'zod';
import { TASK_STATUSES } from '../src/adhd/types.js';
import { defineTool } from './define-tool.js';
import { calibrationOut, calibrationRefSchema, taskOut, taskRefSchema } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

export const updateTask = defineTool({
  name: 'update_task',
  title: 'Update a task or step',
  toolset: 'adhd',
  description: 'Mark a task or step todo, doing, done or dropped. Pass actual_minutes when done: that is how Cairn learns how long things take this person.',
  input: z.object({
    task_id: z.string().min(1).max(64),
    status: z.enum(TASK_STATUSES).optional(),
    actual_minutes: z.number().positive().max(10_080).optional(),
    note: z.string().min(1).max(2000).optional(),
    at: isoTime.optional().describe('When it happened, if not now.'),
  }),
  output: z.object({
    task: taskRefSchema,
    sample_ratio: z.number().nullable().describe('actual ÷ raw estimate, when this completed an estimated step.'),
    parent_completed: taskRefSchema.nullable(),
    next_step: taskRefSchema.nullable(),
    calibration: calibrationRefSchema,
    focus: z.string().nullable().describe('Where focus went if this closed the focused step.'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.adhd.updateTask(ctx.namespace, {
      taskId: input.task_id,
      ...(input.status ? { status: input.status } : {}),
      ...(input.actual_minutes !== undefined ? { actualMinutes: input.actual_minutes } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(input.at ? { at: epochMs(input.at) } : {}),
    });
    return {
      task: taskOut(out.task),
      sample_ratio: out.sampleRatio,
      parent_completed: out.parentCompleted ? taskOut(out.parentCompleted) : null,
      next_step: out.nextStep ? taskOut(out.nextStep) : null,
      calibration: calibrationOut(out.calibration),
      focus: out.focus,
    };
  },
  reply: {
    shrink: [
      { text: 'next_step.notes.*.text', min: 100 },
      { text: 'parent_completed.notes.*.text', min: 100 },
      { text: 'task.notes.*.text', min: 100 },
    ],
    hint: 'notes are stored in full; replies may show them shortened',
  },
});
