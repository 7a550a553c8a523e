import { z } from 'zod';
import { ENERGY_DEMANDS } from '../src/adhd/types.js';
import { withHeartbeat } from '../src/progress.js';
import { defineTool } from './define-tool.js';
import { calibrationOut, calibrationRefSchema, iso, record, taskOut, taskRefSchema } from './schemas/adhd.js';
import { epochMs, isoTime } from './schemas/common.js';

/** How long Cairn waits for the client's model before splitting the text itself. */
const SAMPLING_TIMEOUT_MS = 30_000;

const stepInput = z.object({
  title: z.string().min(1).max(200),
  estimate_minutes: z.number().int().min(1).max(480).optional().describe("The person's own raw guess, unpadded."),
  energy: z.enum(ENERGY_DEMANDS).optional(),
  needs_focus: z.boolean().optional(),
});

export const breakDownTask = defineTool({
  name: 'break_down_task',
  title: 'Break a task into realistic steps',
  toolset: 'adhd',
  description:
    'Turn a task into small steps with realistic minutes (raw guess × a multiplier learned from this person), a 5-minute starter, ' +
    'too_big flags, breaks and an order for energy_now. Omit steps to let Cairn split the task.',
  input: z.object({
    task: z.string().min(1).max(2000),
    steps: z.array(stepInput).min(1).max(30).optional(),
    deadline: isoTime.optional(),
    energy_now: z.number().int().min(1).max(10).optional(),
    category: z.string().min(1).max(64).optional().describe('Kind of work.'),
    parent_task_id: z.string().min(1).max(64).optional().describe('Split this existing step (or task) instead.'),
    use_model: z.boolean().optional().describe('Default true: ask your model when no steps.'),
    at: isoTime.optional().describe('When planned, if not now.'),
  }),
  output: z.object({
    task: taskRefSchema,
    steps: z
      .array(z.looseObject({ id: z.string(), title: z.string(), realistic_minutes: z.number().nullable(), too_big: z.boolean() }))
      .describe("Parent, category and deadline are the task's."),
    suggested_order: z.array(z.string()),
    order_why: z.string(),
    breaks: z.array(record),
    total_realistic_minutes: z.number(),
    deadline: record.nullable(),
    calibration: calibrationRefSchema,
    source: z.enum(['client', 'model', 'text']),
    fallback_reason: z.string().nullable(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const wantsModel = !input.steps?.length && input.use_model !== false && ctx.session.canSample();
    const out = await ctx.services.adhd.breakDownTask(
      ctx.namespace,
      {
        task: input.task,
        ...(input.steps
          ? {
              steps: input.steps.map((s) => ({
                title: s.title,
                ...(s.estimate_minutes !== undefined ? { estimateMinutes: s.estimate_minutes } : {}),
                ...(s.energy ? { energy: s.energy } : {}),
                ...(s.needs_focus !== undefined ? { needsFocus: s.needs_focus } : {}),
              })),
            }
          : {}),
        ...(input.deadline ? { deadline: epochMs(input.deadline) } : {}),
        ...(input.energy_now !== undefined ? { energyNow: input.energy_now } : {}),
        ...(input.category ? { category: input.category } : {}),
        ...(input.parent_task_id ? { parentTaskId: input.parent_task_id } : {}),
        ...(input.at ? { at: epochMs(input.at) } : {}),
      },
      wantsModel
        ? {
            sample: (prompt, o) =>
              withHeartbeat(
                ctx.progress,
                ctx.session.sample(prompt, { ...o, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(SAMPLING_TIMEOUT_MS)]) }),
                {
                  totalMs: SAMPLING_TIMEOUT_MS,
                  message: (ms) => `waiting for your model's breakdown (${(ms / 1000).toFixed(0)} s)`,
                },
              ),
          }
        : {},
    );
    return {
      task: taskOut(out.root),
      // A new step's status, parent, category, deadline and times are the breakdown's: they are not repeated per step.
      steps: out.steps.map((s) => {
        const { status: _status, parent_id: _parent, category: _category, deadline: _deadline, ...step } = taskOut(s.task);
        const own = s.calibration && (s.calibration.scope !== out.calibration.scope || s.calibration.multiplier !== out.calibration.multiplier);
        return {
          ...step,
          too_big: s.tooBig,
          ...(s.splitHint !== null ? { split_hint: s.splitHint } : {}),
          ...(s.fitsEnergyNow !== null ? { fits_energy_now: s.fitsEnergyNow } : {}),
          ...(own && s.calibration ? { calibration: { multiplier: s.calibration.multiplier, n: s.calibration.n, scope: s.calibration.scope } } : {}),
        };
      }),
      suggested_order: out.suggestedOrder,
      order_why: out.orderWhy,
      breaks: out.breaks.map((b) => ({ after_step_id: b.afterStepId, kind: b.kind, minutes: b.minutes, why: b.why })),
      total_realistic_minutes: out.totalRealisticMinutes,
      deadline: out.deadline ? { at: iso(out.deadline.at), minutes_left: out.deadline.minutesLeft, fits: out.deadline.fits } : null,
      calibration: calibrationOut(out.calibration),
      source: out.source,
      fallback_reason: out.fallbackReason,
    };
  },
  reply: {
    shrink: [
      { text: 'steps.*.why', min: 60 },
      { text: 'steps.*.split_hint', min: 60 },
      { list: 'breaks', min: 3 },
    ],
    hint: 'fewer steps per call (split further with parent_task_id)',
  },
});
