import { z } from 'zod';
import { breakDownTask } from '../../tools/break-down-task.js';
import { completeEpisode } from '../../tools/complete-episode.js';
import { focus } from '../../tools/focus.js';
import { forget } from '../../tools/forget.js';
import { logEnergy } from '../../tools/log-energy.js';
import { logStep } from '../../tools/log-step.js';
import { remember } from '../../tools/remember.js';
import { episodeSchema, reflectionSchema, rewardSchema, stepResultSchema } from '../../tools/schemas/episodes.js';
import { patternSchema } from '../../tools/schemas/patterns.js';
import { startEpisode } from '../../tools/start-episode.js';
import { updateTask } from '../../tools/update-task.js';
import { ESTIMATE_SOURCES } from '../adhd/types.js';
import { MEMORY_ACTIONS } from '../memory/types.js';
import type { MemoryInput } from '../ops/transfer/import-server-memory.js';
import { plainIssue } from '../plain-issue.js';

// The rules `cairn import` applies, taken from the tools: only the server side of src/ may import
// tools/, so the import command gets them here and hands them to the importers (src/ops/transfer).
//
// An imported row must be one the tools could have written and can read back: each column is
// checked with the rule of the tool field it comes from (input limits) or that serves it (output
// shapes), never with a copy of those rules. Columns with a default may be missing; columns this
// list does not name are left to the import (unknown ones are dropped and reported).

const id = forget.input.shape.id;
const time = z.number().int();
const count = z.number().int().min(0);
const text = z.string();

/** A JSON TEXT column (or the value itself, as a hand-written file may give it) checked with `schema`. */
const json = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not JSON (${value.length > 30 ? `${value.slice(0, 30)}…` : value})` });
      return z.NEVER;
    }
  }, schema);

const episode = episodeSchema.shape;
const pattern = patternSchema.shape;
const started = startEpisode.input.shape;
const step = logStep.input.shape;
const task = breakDownTask.input.shape;
const note = z.object({ at: time, text: updateTask.input.shape.note.unwrap() });

/** Rules per table; a table missing here is imported unchecked (it has no reader that could fail). */
export const ROW_RULES: Record<string, z.ZodObject> = {
  memories: z.looseObject({
    id,
    content: remember.input.shape.content,
    kind: remember.input.shape.kind.unwrap(),
    tags: json(remember.input.shape.tags.unwrap()).optional(),
    importance: remember.input.shape.importance.unwrap().optional(),
    occurred_at: time.nullish(),
    source: remember.input.shape.source.unwrap().nullish(),
    metadata: json(remember.input.shape.metadata.unwrap()).optional(),
    content_hash: text.min(1),
    created_at: time,
    updated_at: time,
    deleted_at: time.nullish(),
    deleted_reason: forget.input.shape.reason.unwrap().nullish(),
    superseded_by: id.nullish(),
    merged_into: id.nullish(),
    decay: z.number().gt(0).max(1).optional(),
    access_count: count.optional(),
    last_accessed_at: time.nullish(),
    text_key: text.nullish(),
  }),
  memory_events: z.looseObject({
    id,
    memory_id: id,
    action: z.enum(MEMORY_ACTIONS),
    related_id: id.nullish(),
    actor: text.min(1),
    run_id: id.nullish(),
    rule: text.nullish(),
    score: z.number().nullish(),
    details: json(z.record(z.string(), z.unknown())).optional(),
    at: time,
  }),
  episodes: z.looseObject({
    id,
    task: started.task,
    task_type: started.task_type,
    domain: started.domain,
    language: started.language.unwrap().nullish(),
    framework: started.framework.unwrap().nullish(),
    tags: json(started.tags.unwrap()).optional(),
    complexity: started.complexity.unwrap().optional(),
    context: json(started.context.unwrap()).optional(),
    status: episode.status.optional(),
    outcome_type: episode.outcome_type.optional(),
    outcome: json(completeEpisode.input.shape.outcome.nullable()).optional(),
    reward: z.number().nullish(),
    reward_parts: json(rewardSchema.nullable()).optional(),
    reflection: json(reflectionSchema.nullable()).optional(),
    summary: text.nullish(),
    started_at: time,
    completed_at: time.nullish(),
    updated_at: time,
  }),
  episode_steps: z.looseObject({
    episode_id: id,
    step_number: count.min(1),
    tool: step.tool,
    action: step.action,
    parameters: json(step.parameters.unwrap()).optional(),
    result_type: stepResultSchema.shape.type.nullish(),
    result_output: stepResultSchema.shape.output.unwrap().nullish(),
    result_message: stepResultSchema.shape.message.unwrap().nullish(),
    latency_ms: step.latency_ms.unwrap().nullish(),
    at: time,
  }),
  patterns: z.looseObject({
    id,
    kind: pattern.kind,
    key: text.min(1),
    match_key: text,
    description: pattern.description,
    tokens: json(z.array(text)).optional(),
    size: count,
    head: text,
    tail: text,
    data: json(pattern.details).optional(),
    task_type: pattern.task_type,
    domain: pattern.domain,
    language: pattern.language.optional(),
    tags: json(pattern.tags).optional(),
    occurrences: count,
    successes: count,
    latency_total: z.number().optional(),
    latency_count: count.optional(),
    wilson: z.number(),
    episode_ids: json(pattern.episode_ids).optional(),
    first_seen: time,
    last_seen: time,
    merged_into: text.nullish(),
    created_at: time,
    updated_at: time,
  }),
  pattern_jobs: z.looseObject({
    id,
    episode_id: id,
    kind: z.enum(['extract', 'merge']),
    payload: json(z.record(z.string(), z.unknown())).optional(),
    created_at: time,
    attempts: count.optional(),
  }),
  adhd_tasks: z.looseObject({
    id,
    root_id: id,
    parent_id: id.nullish(),
    position: count,
    title: task.task,
    category: task.category.unwrap().nullish(),
    energy: stepEnergy().nullish(),
    needs_focus: z.union([z.literal(0), z.literal(1)]).optional(),
    is_starter: z.union([z.literal(0), z.literal(1)]).optional(),
    raw_minutes: z.number().min(0).nullish(),
    estimate_source: z.enum(ESTIMATE_SOURCES),
    realistic_minutes: z.number().min(0).nullish(),
    multiplier: z.number().nullish(),
    why: text.nullish(),
    status: updateTask.input.shape.status.unwrap().optional(),
    actual_minutes: updateTask.input.shape.actual_minutes.unwrap().nullish(),
    notes: json(z.array(note)).optional(),
    deadline: time.nullish(),
    created_at: time,
    updated_at: time,
    started_at: time.nullish(),
    completed_at: time.nullish(),
  }),
  adhd_energy: z.looseObject({
    id,
    at: time,
    level: logEnergy.input.shape.level,
    attention: logEnergy.input.shape.attention,
    mood: logEnergy.input.shape.mood.unwrap().nullish(),
    note: logEnergy.input.shape.note.unwrap().nullish(),
    created_at: time,
  }),
  adhd_focus_sessions: z.looseObject({
    id,
    task_id: focus.input.shape.task_id.unwrap().nullish(),
    // The topic defaults to the task's title, so it may be as long as a title.
    topic: task.task.nullish(),
    started_at: time,
    ended_at: time.nullish(),
  }),
  adhd_breaks: z.looseObject({ id, session_id: id.nullish(), kind: focus.input.shape.kind.unwrap(), at: time }),
  adhd_check_ins: z.looseObject({
    id,
    condition_key: text.min(1),
    kind: text.min(1),
    severity: text.min(1),
    message: text,
    details: json(z.record(z.string(), z.unknown())).optional(),
    created_at: time,
    acknowledged_at: time.nullish(),
    cleared_at: time.nullish(),
  }),
  embeddings: z.looseObject({
    item_id: id,
    embedder_id: text.min(1),
    item_type: text.min(1),
    dim: count.min(1),
    text_hash: text,
    vector: z.object({ $base64: z.string() }),
    created_at: time,
  }),
};

function stepEnergy() {
  return breakDownTask.input.shape.steps.unwrap().element.shape.energy.unwrap();
}

/**
 * Checks one exported row of `table`. Returns null when it passes (or the table has no rules),
 * else one line naming the first bad column, e.g. `importance must be a number from 0 to 1 (got "abc")`.
 */
export function checkRow(table: string, data: Record<string, unknown>): string | null {
  const rules = ROW_RULES[table];
  if (!rules) return null;
  const r = rules.safeParse(data, { error: plainIssue });
  if (r.success) {
    if (table === 'embeddings') return checkVector(data);
    return null;
  }
  const issue = r.error.issues[0]!;
  const column = String(issue.path[0] ?? 'row');
  const nested = issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : '';
  const got = issue.path.length === 1 && issue.code !== 'custom' ? ` (got ${preview(data[column])})` : '';
  return `${column}${nested} ${issue.message}${got}`;
}

function checkVector(data: Record<string, unknown>): string | null {
  const bytes = Buffer.from((data.vector as { $base64: string }).$base64, 'base64').length;
  return bytes === Number(data.dim) * 4 ? null : `vector holds ${bytes} bytes, not ${Number(data.dim) * 4} (dim ${String(data.dim)} × 4)`;
}

function preview(value: unknown): string {
  const s = value === undefined ? 'nothing' : JSON.stringify(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * Checks a memory the server-memory import would store with the `remember` tool's input rules.
 * Returns null when it passes, else the first bad field and what it accepts, e.g.
 * `content must be at most 20000 characters`.
 */
export function checkMemory(input: MemoryInput): string | null {
  const r = remember.input.safeParse(input, { error: plainIssue });
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.join('.')} ${issue.message}`;
}
