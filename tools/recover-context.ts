import { z } from 'zod';
import type { RecoveredContext } from '../src/adhd/types.js';
import { defineTool } from './define-tool.js';
import { checkInOut, checkInSchema, energyOut, iso, isoOrNull, record, sessionOut, taskBriefOut } from './schemas/adhd.js';

export const recoverContext = defineTool({
  name: 'recover_context',
  title: 'Where was I?',
  toolset: 'adhd',
  description:
    'Answer "where was I?": last focus, time away, open tasks and episodes, recent memories, energy, check-ins and one next action to offer gently. ' +
    'With max_tokens it adds `pack`, the same context as text within that budget, and the lists hold only what made it into the pack.',
  input: z.object({
    max_tokens: z.number().int().min(100).max(8000).optional().describe('Budget of the text pack (bytes ÷ 4). Default: no pack.'),
  }),
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
    pack: z.string().optional(),
    pack_tokens: z.number().int().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx): Promise<ReturnType<typeof wire> & { pack?: string; pack_tokens?: number }> {
    const c = await ctx.services.context.recover(ctx.scope);
    if (input.max_tokens !== undefined) {
      const pack = await ctx.services.context.sessionPack(ctx.scope, { maxTokens: input.max_tokens, adhd: true });
      const { tasks, episodes, memories, checkIns } = pack.included;
      c.openTasks = c.openTasks.filter((t) => tasks.includes(t.task.id));
      c.openEpisodes = c.openEpisodes.filter((e) => episodes.includes(e.id));
      c.recentMemories = c.recentMemories.filter((m) => memories.includes(m.id));
      c.checkIns = c.checkIns.filter((k) => checkIns.includes(k.id));
      return { ...wire(c), pack: pack.text, pack_tokens: pack.tokens };
    }
    return wire(c);
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

function wire(c: RecoveredContext) {
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
}
