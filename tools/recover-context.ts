import { z } from 'zod';
import { checkInOut, checkInSchema, energyOut, iso, isoOrNull, record, sessionOut, taskBriefOut } from './schemas/adhd.js';
import { defineTool } from './define-tool.js';

export const recoverContext = defineTool({
  name: 'recover_context',
  title: 'Where was I?',
  toolset: 'adhd',
  description: 'Answer "where was I?": last focus, time away, open tasks and episodes, recent memories, energy, check-ins and one next action to offer gently.',
  input: z.object({}),
  output: z.object({
    now: z.string(),
    focus: record.nullable(),
    minutes_away: z.number().nullable().describe('Since anything was last written in this namespace.'),
    last_activity_at: z.string().nullable(),
    open_tasks: z.array(record),
    open_episodes: z.array(record),
    recent_memories: z.array(z.looseObject({ id: z.string(), content: z.string() })),
    memory_count: z.number(),
    energy: record.nullable(),
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
  reply: {
    shrink: [
      { text: 'open_episodes.*.task', min: 200 },
      { text: 'open_episodes.*.last_steps.*.action', min: 100 },
      { list: 'check_ins', min: 3 },
      { list: 'open_episodes', min: 1 },
      { list: 'open_tasks', min: 3 },
      { list: 'recent_memories', min: 1 },
    ],
    hint: 'get_episode, get_check_ins and query_memory show each part in full',
  },
});
