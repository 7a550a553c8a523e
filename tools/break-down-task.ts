import { z } from 'zod';
import { ENERGY_DEMANDS } from '../src/adhd/types.js';
import { calibrationOut, calibrationSchema, iso, taskOut, taskSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';
import { epochMs, isoTime } from './schemas/common.js';

/** How long Cairn waits for the client's model before splitting the text itself. */
const SAMPLING_TIMEOUT_MS = 30_000;

const stepInput = z.object({
  title: z.string().min(1).max(200).describe('A concrete action, starting with a verb.'),
  estimate_minutes: z.number().int().min(1).max(480).optional().describe("The person's own raw guess in minutes, unpadded: Cairn applies the learned multiplier."),
  energy: z.enum(ENERGY_DEMANDS).optional().describe('Energy the step needs: low | medium | high.'),
  needs_focus: z.boolean().optional().describe('True for deep-work steps that suffer from interruptions.'),
});

export const breakDownTask = defineTool({
  name: 'break_down_task',
  title: 'Break a task into realistic steps',
  toolset: 'adhd',
  description:
    'Turn a task into small steps with realistic time estimates, for someone with ADHD (or anyone who underestimates). ' +
    'Pass the task and, if you can, your own steps with the person\'s raw estimate_minutes (do not pad them). ' +
    'Without steps, Cairn asks your model (when the client supports sampling) or splits the text itself. ' +
    'Each step comes back with raw and realistic minutes (raw × multiplier learned from this person\'s completed tasks, default 2.5×, + transition buffer) and why; ' +
    'a 5-minute starter step comes first; steps over 25 realistic minutes are flagged too_big (split them by calling again with parent_task_id); ' +
    'breaks are suggested, and suggested_order fits energy_now. Steps are stored: later use update_task with the step ids, and focus with task_id.',
  input: z.object({
    task: z.string().min(1).max(2000).describe('The task in the person\'s words.'),
    steps: z.array(stepInput).min(1).max(30).optional().describe('Your breakdown; omit to let Cairn split the task.'),
    deadline: isoTime.optional().describe('When it must be done (ISO-8601); the total is checked against it.'),
    energy_now: z.number().int().min(1).max(10).optional().describe('Current energy 1–10; orders the steps to fit it.'),
    category: z.string().min(1).max(64).optional().describe('Kind of work (e.g. "writing", "admin"); calibration learns per category once it has 5 samples.'),
    parent_task_id: z.string().min(1).max(64).optional().describe('Attach the steps under this existing task or step (to split a too_big step).'),
    use_model: z.boolean().optional().describe("Allow asking the client's model when no steps are given (default true)."),
    at: isoTime.optional().describe('When this was planned, if not now (ISO-8601).'),
  }),
  output: z.object({
    task: taskSchema.describe('The root task (or the parent the steps were attached to).'),
    steps: z.array(
      taskSchema.extend({
        too_big: z.boolean(),
        split_hint: z.string().nullable(),
        fits_energy_now: z.boolean().nullable(),
        calibration: z.object({ multiplier: z.number(), n: z.number().int(), source: z.enum(['default', 'learned']), scope: z.string() }).nullable(),
      }),
    ),
    suggested_order: z.array(z.string()).describe('Step ids, starter first, ordered for energy_now.'),
    order_why: z.string(),
    breaks: z.array(z.object({ after_step_id: z.string(), kind: z.string(), minutes: z.number().int(), why: z.string() })),
    total_realistic_minutes: z.number(),
    deadline: z.object({ at: z.string(), minutes_left: z.number().int(), fits: z.boolean() }).nullable(),
    calibration: calibrationSchema.describe('The multiplier this breakdown used, and on how many completed tasks.'),
    source: z.enum(['client', 'model', 'text']).describe('Who proposed the steps.'),
    fallback_reason: z.string().nullable().describe('Why the model breakdown was not used, when it was tried.'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const wantsModel = !input.steps?.length && input.use_model !== false && ctx.session.canSample();
    const out = await ctx.services.adhd.breakDownTask(
      ctx.namespace,
      {
        task: input.task,
        ...(input.steps ? { steps: input.steps.map((s) => ({ title: s.title, ...(s.estimate_minutes !== undefined ? { estimateMinutes: s.estimate_minutes } : {}), ...(s.energy ? { energy: s.energy } : {}), ...(s.needs_focus !== undefined ? { needsFocus: s.needs_focus } : {}) })) } : {}),
        ...(input.deadline ? { deadline: epochMs(input.deadline) } : {}),
        ...(input.energy_now !== undefined ? { energyNow: input.energy_now } : {}),
        ...(input.category ? { category: input.category } : {}),
        ...(input.parent_task_id ? { parentTaskId: input.parent_task_id } : {}),
        ...(input.at ? { at: epochMs(input.at) } : {}),
      },
      wantsModel ? { sample: (prompt, o) => ctx.session.sample(prompt, { ...o, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(SAMPLING_TIMEOUT_MS)]) }) } : {},
    );
    return {
      task: taskOut(out.root),
      steps: out.steps.map((s) => ({
        ...taskOut(s.task),
        too_big: s.tooBig,
        split_hint: s.splitHint,
        fits_energy_now: s.fitsEnergyNow,
        calibration: s.calibration ? { multiplier: s.calibration.multiplier, n: s.calibration.n, source: s.calibration.source, scope: s.calibration.scope } : null,
      })),
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
});
