import { z } from 'zod';
import type { HookEvent } from './events.js';

export type { HookEvent } from './events.js';

// Fields Claude Code sends to every hook; unknown fields are kept and ignored (the payload grows across versions).
const common = {
  session_id: z.string().min(1).max(200),
  transcript_path: z.string().max(4096).optional(),
  cwd: z.string().min(1).max(4096),
  hook_event_name: z.string().max(64).optional(),
  permission_mode: z.string().max(64).optional(),
  prompt_id: z.string().max(200).optional(),
  agent_id: z.string().max(200).optional(),
  agent_type: z.string().max(200).optional(),
};

const SCHEMAS = {
  SessionStart: z.looseObject({ ...common, source: z.string().max(64).optional(), model: z.string().max(200).optional() }),
  UserPromptSubmit: z.looseObject({ ...common, prompt: z.string() }),
  PostToolUse: z.looseObject({
    ...common,
    tool_name: z.string().min(1).max(200),
    tool_input: z.unknown().optional(),
    tool_response: z.unknown().optional(),
    tool_use_id: z.string().max(200).optional(),
    duration_ms: z.number().nonnegative().optional(),
  }),
  PostToolUseFailure: z.looseObject({
    ...common,
    tool_name: z.string().min(1).max(200),
    tool_input: z.unknown().optional(),
    tool_use_id: z.string().max(200).optional(),
    error: z.string().optional(),
    is_interrupt: z.boolean().optional(),
    duration_ms: z.number().nonnegative().optional(),
  }),
  Stop: z.looseObject({ ...common, stop_hook_active: z.boolean().optional(), last_assistant_message: z.string().optional() }),
  SessionEnd: z.looseObject({ ...common, reason: z.string().max(64).optional() }),
  PreCompact: z.looseObject({ ...common, trigger: z.string().max(64).optional(), custom_instructions: z.string().optional() }),
} satisfies Record<HookEvent, z.ZodType>;

/** The payload of each event, as Claude Code documents it (snake_case, as sent). */
export type HookPayloads = { [E in HookEvent]: z.infer<(typeof SCHEMAS)[E]> };
/** A payload with the event it belongs to. */
export type HookInput = { [E in HookEvent]: { event: E; payload: HookPayloads[E] } }[HookEvent];

/**
 * Parses a hook payload (the JSON Claude Code writes to stdin) for `event`; throws with the first
 * problem (the hook then logs it and answers nothing).
 */
export function parseHookPayload(event: HookEvent, raw: unknown): HookInput {
  const parsed = SCHEMAS[event].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${event} payload: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return { event, payload: parsed.data } as HookInput;
}
