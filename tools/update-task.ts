import { z } from 'zod';
import { TASK_STATUSES } from '../src/adhd/types.js';
import { calibrationOut, calibrationSchema, taskOut, taskSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

export const updateTask = defineTool({
  name: 'update_task',
  title: 'Update a task or step',
  toolset: 'adhd',
  description:
    'Record progress on a task or step from break_down_task: status todo | doing | done | dropped, the actual minutes it took, or a note. ' +
    'Always pass actual_minutes when marking a step done if the person knows it: that is how Cairn learns how long things really take them ' +
    '(the next breakdown uses the learned multiplier). Parents start and finish with their steps. Returns the task, the next step to do, ' +
    'and the current calibration.',
  input: z.object({
    task_id: z.string().min(1).max(64),
    status: z.enum(TASK_STATUSES).optional(),
    actual_minutes: z.number().positive().max(10_080).optional().describe('Real time spent, in minutes.'),
    note: z.string().min(1).max(2000).optional(),
    at: isoTime.optional().describe('When this happened, if not now (ISO-8601).'),
  }),
  output: z.object({
    task: taskSchema,
    sample_ratio: z.number().nullable().describe('actual ÷ raw estimate recorded for calibration, when this update completed an estimated step.'),
    parent_completed: taskSchema.nullable().describe('The parent task, when this finished its last open step.'),
    next_step: taskSchema.nullable(),
    calibration: calibrationSchema,
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
    };
  },
});
