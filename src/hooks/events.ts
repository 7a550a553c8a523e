/** The Claude Code hook events `cairn hook` answers. Imports nothing: the hook client reads it. */
export const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'PostToolUseFailure', 'Stop', 'SessionEnd', 'PreCompact'] as const;
/** One of `HOOK_EVENTS`. */
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Events that record what happened; they answer with nothing, and `CAIRN_CAPTURE=off` skips them. */
export const CAPTURE_EVENTS: ReadonlySet<string> = new Set(['PostToolUse', 'PostToolUseFailure', 'Stop', 'SessionEnd', 'PreCompact']);

/**
 * How long the client waits for an answer, per event, ms. Claude Code gives SessionEnd hooks
 * 1.5 s in all; a prompt should not wait long for memories; SessionStart may start the background
 * Cairn and open the database.
 */
export const CLIENT_DEADLINE_MS: Record<HookEvent, number> = {
  SessionStart: 10_000,
  UserPromptSubmit: 2_500,
  PostToolUse: 3_000,
  PostToolUseFailure: 3_000,
  Stop: 5_000,
  SessionEnd: 1_200,
  PreCompact: 5_000,
};

/** True when `name` is an event `cairn hook` answers. */
export function isHookEvent(name: string): name is HookEvent {
  return (HOOK_EVENTS as readonly string[]).includes(name);
}
