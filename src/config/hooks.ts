import { z } from 'zod';

/** How a session finds its project namespace (`CAIRN_PROJECT`). */
export type ProjectMode = { mode: 'auto' } | { mode: 'off' } | { mode: 'named'; name: string };

/** Settings of `cairn hook` and of the context packs, resolved once with the rest of the config. */
export interface HooksConfig {
  /** `CAIRN_CAPTURE=off` stops hooks from recording tool uses and sessions (context is still given). Default on. */
  capture: boolean;
  /** Token budget of the SessionStart pack, `recover_context` and `cairn://context` (`CAIRN_CONTEXT_TOKENS`, 100–8000). Default 1500. */
  contextTokens: number;
  /** Token budget of the memories added to a prompt (`CAIRN_PROMPT_TOKENS`, 0–4000; 0 adds none). Default 600. */
  promptTokens: number;
  /** `CAIRN_HOOK_DAEMON`: `auto` answers hooks from a background Cairn per data folder; `off` handles each hook in its own process. Default auto. */
  daemon: 'auto' | 'off';
  /** The background Cairn exits after this long without a hook (`CAIRN_HOOK_IDLE_SECONDS`, 1–86400). Default 900. */
  idleMs: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;
const whole = (min: number, max: number, unit: string) => {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
};

/** The CAIRN_* variables this module reads, merged into the config's zod schema. */
export const HOOKS_ENV = {
  CAIRN_PROJECT: z
    .string()
    .refine((s) => s === 'auto' || s === 'off' || NAME.test(s), 'must be auto, off, or a project name of 1–48 letters, digits, dot, dash or underscore')
    .optional(),
  CAIRN_CAPTURE: z.enum(['on', 'off', '1', '0', 'true', 'false']).optional(),
  CAIRN_CONTEXT_TOKENS: whole(100, 8000, 'tokens').optional(),
  CAIRN_PROMPT_TOKENS: whole(0, 4000, 'tokens').optional(),
  CAIRN_HOOK_DAEMON: z.enum(['auto', 'off']).optional(),
  CAIRN_HOOK_IDLE_SECONDS: whole(1, 86_400, 'seconds').optional(),
};

type HooksEnv = { [K in keyof typeof HOOKS_ENV]?: z.infer<(typeof HOOKS_ENV)[K]> };

/** `CAIRN_PROJECT`: `auto` (default) derives the project from the working directory, `off` keeps one namespace, anything else names it. */
export function resolveProjectMode(e: HooksEnv): ProjectMode {
  const raw = e.CAIRN_PROJECT ?? 'auto';
  return raw === 'auto' || raw === 'off' ? { mode: raw } : { mode: 'named', name: raw };
}

/** Fills the hook settings' defaults from validated environment values. */
export function resolveHooksConfig(e: HooksEnv): HooksConfig {
  return {
    capture: !['off', '0', 'false'].includes(e.CAIRN_CAPTURE ?? 'on'),
    contextTokens: e.CAIRN_CONTEXT_TOKENS ?? 1500,
    promptTokens: e.CAIRN_PROMPT_TOKENS ?? 600,
    daemon: e.CAIRN_HOOK_DAEMON ?? 'auto',
    idleMs: (e.CAIRN_HOOK_IDLE_SECONDS ?? 900) * 1000,
  };
}
