import { z } from 'zod';
import { checkInOut, checkInSchema, energyOut, energyReadingSchema, iso, isoOrNull, sessionOut, sessionSchema, taskBriefOut, taskBriefSchema } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';

export const recoverContext = defineTool({
  name: 'recover_context',
  title: 'Where was I?',
  toolset: 'adhd',
  description:
    'Answer "where was I?" after a break, an interruption or a new conversation: the current or last focus and for how long, minutes away since ' +
    'the last activity, open tasks with their next step, open episodes with their last steps, recent memories, the last energy reading, pending ' +
    'check-ins, and one suggested next action. Call it at the start of a session or whenever the person seems lost; then offer the suggestion ' +
    'gently rather than a list of everything.',
  input: z.object({}),
  output: z.object({
    now: z.string(),
    focus: sessionSchema.extend({ active: z.boolean(), minutes: z.number().int() }).nullable(),
    minutes_away: z.number().int().nullable().describe('Since the last recorded activity; 0 while a focus session runs.'),
    last_activity_at: z.string().nullable(),
    open_tasks: z.array(z.object({ task: taskBriefSchema, next_step: taskBriefSchema.nullable(), done: z.number().int(), total: z.number().int() })),
    open_episodes: z.array(
      z.object({
        id: z.string(),
        task: z.string(),
        started_at: z.string(),
        last_steps: z.array(z.object({ step_number: z.number().int(), tool: z.string(), action: z.string(), result: z.string().nullable(), at: z.string() })),
      }),
    ),
    recent_memories: z.array(z.object({ id: z.string(), content: z.string(), kind: z.string(), created_at: z.string() })),
    memory_count: z.number().int(),
    energy: energyReadingSchema.nullable(),
    check_ins: z.array(checkInSchema),
    suggested_next_action: z.string(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_input, ctx) {
    const c = await ctx.services.adhd.recoverContext(ctx.namespace);
    return {
      now: iso(c.now),
      focus: c.focus ? { ...sessionOut(c.focus.session), active: c.focus.active, minutes: c.focus.minutes } : null,
      minutes_away: c.minutesAway,
      last_activity_at: isoOrNull(c.lastActivityAt),
      open_tasks: c.openTasks.map((t) => ({ task: taskBriefOut(t.task), next_step: t.nextStep ? taskBriefOut(t.nextStep) : null, done: t.done, total: t.total })),
      open_episodes: c.openEpisodes.map((e) => ({
        id: e.id,
        task: e.task,
        started_at: iso(e.startedAt),
        last_steps: e.lastSteps.map((s) => ({ step_number: s.stepNumber, tool: s.tool, action: s.action, result: s.result, at: iso(s.at) })),
      })),
      recent_memories: c.recentMemories.map((m) => ({ id: m.id, content: m.content, kind: m.kind, created_at: iso(m.createdAt) })),
      memory_count: c.memoryCount,
      energy: c.energy ? energyOut(c.energy) : null,
      check_ins: c.checkIns.map(checkInOut),
      suggested_next_action: c.suggestedNextAction,
    };
  },
});
