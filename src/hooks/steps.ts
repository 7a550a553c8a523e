import { isAbsolute, relative } from 'node:path';
import type { StepResultType } from '../episodes/types.js';
import { stripPrivate, stripPrivateDeep } from '../privacy/private-tags.js';
import { capText, redactDeep, redactSecrets } from '../privacy/redact.js';
import type { HookPayloads } from './payload.js';

/** An episode step made from one tool use, ready for `episodes.logStep`. */
export interface ToolStep {
  tool: string;
  /** One short line: what the tool did (`npm test`, `edit src/app.ts`). */
  action: string;
  /** A small, redacted picture of the input: paths and commands, never file contents. */
  parameters: Record<string, unknown>;
  result: { type: StepResultType; message?: string };
  latencyMs?: number;
}

const ACTION_CHARS = 160;
const MESSAGE_CHARS = 300;

/**
 * Turns a PostToolUse or PostToolUseFailure payload into a step. Nothing secret or large is kept:
 * `<private>` spans are removed, secrets redacted, file contents and edit strings dropped (only
 * their sizes are kept), other inputs cut to short strings; paths inside the project are made
 * relative to it.
 */
export function toolStep(
  input: { event: 'PostToolUse'; payload: HookPayloads['PostToolUse'] } | { event: 'PostToolUseFailure'; payload: HookPayloads['PostToolUseFailure'] },
  root: string,
): ToolStep {
  const p = input.payload;
  const toolInput = stripPrivateDeep(isObject(p.tool_input) ? p.tool_input : {});
  const { action, parameters } = describe(p.tool_name, toolInput, root);
  const latency = p.duration_ms === undefined ? {} : { latencyMs: Math.round(p.duration_ms) };
  if (input.event === 'PostToolUseFailure') {
    const f = input.payload;
    const message = f.is_interrupt ? 'interrupted' : clean(f.error ?? 'failed', MESSAGE_CHARS);
    return { tool: p.tool_name, action, parameters, result: { type: 'error', message }, ...latency };
  }
  const failure = responseFailure(input.payload.tool_response);
  return { tool: p.tool_name, action, parameters, result: failure === null ? { type: 'success' } : { type: 'error', message: failure }, ...latency };
}

/** A tool response that reports a failure without the tool failing (`success: false`, `is_error`, `interrupted`). */
function responseFailure(response: unknown): string | null {
  if (!isObject(response)) return null;
  if (response.interrupted === true) return 'interrupted';
  if (response.success === false || response.is_error === true || response.isError === true) {
    const why = typeof response.error === 'string' ? response.error : typeof response.message === 'string' ? response.message : 'failed';
    return clean(why, MESSAGE_CHARS);
  }
  return null;
}

/** The action line and parameters of a tool use, per tool. */
function describe(tool: string, input: Record<string, unknown>, root: string): { action: string; parameters: Record<string, unknown> } {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  const path = (k: string) => {
    const v = str(k);
    return v === undefined ? undefined : shortPath(v, root);
  };
  const lines = (k: string) => (str(k) ?? '').split('\n').length;
  switch (tool) {
    case 'Bash':
    case 'PowerShell': {
      const command = clean(str('command') ?? '', ACTION_CHARS);
      return {
        action: command || tool,
        parameters: pick({ command, description: clean(str('description'), 120), background: input.run_in_background === true || undefined }),
      };
    }
    case 'Read':
      return {
        action: `read ${path('file_path') ?? '?'}`,
        parameters: pick({ file_path: path('file_path'), offset: num(input.offset), limit: num(input.limit) }),
      };
    case 'Write':
      return { action: `write ${path('file_path') ?? '?'}`, parameters: pick({ file_path: path('file_path'), lines: lines('content') }) };
    case 'Edit':
      return {
        action: `edit ${path('file_path') ?? '?'}`,
        parameters: pick({ file_path: path('file_path'), replace_all: input.replace_all === true || undefined }),
      };
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? input.edits.length : 0;
      return { action: `edit ${path('file_path') ?? '?'} (${edits} edits)`, parameters: pick({ file_path: path('file_path'), edits }) };
    }
    case 'NotebookEdit':
      return {
        action: `edit notebook ${path('notebook_path') ?? '?'}`,
        parameters: pick({ notebook_path: path('notebook_path'), edit_mode: str('edit_mode') }),
      };
    case 'Glob':
      return { action: `glob ${clean(str('pattern'), 100)}`, parameters: pick({ pattern: clean(str('pattern'), 200), path: path('path') }) };
    case 'Grep':
      return {
        action: `grep ${clean(str('pattern'), 100)}`,
        parameters: pick({ pattern: clean(str('pattern'), 200), path: path('path'), glob: clean(str('glob'), 100) }),
      };
    case 'WebFetch':
      return { action: `fetch ${urlShape(str('url'))}`, parameters: pick({ url: urlShape(str('url')) }) };
    case 'WebSearch':
      return { action: `search ${clean(str('query'), 120)}`, parameters: pick({ query: clean(str('query'), 200) }) };
    case 'Task':
    case 'Agent':
      return {
        action: `agent ${clean(str('subagent_type') ?? 'general', 40)}: ${clean(str('description'), 100)}`,
        parameters: pick({ subagent_type: str('subagent_type'), description: clean(str('description'), 200) }),
      };
    case 'TodoWrite': {
      const todos = Array.isArray(input.todos) ? input.todos.length : 0;
      return { action: `todos (${todos})`, parameters: { todos } };
    }
    default: {
      const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
      return {
        action: mcp ? `${mcp[1]}/${mcp[2]}` : tool,
        parameters: redactDeep(input, { maxString: 120, maxDepth: 2, maxItems: 8 }) as Record<string, unknown>,
      };
    }
  }
}

/** One line, private spans removed, secrets redacted, cut to `max` characters. */
function clean(text: string | undefined, max: number): string {
  if (text === undefined) return '';
  return capText(redactSecrets(stripPrivate(text)).replace(/\s+/g, ' ').trim(), max);
}

/** A path inside the project as a relative path; others as they are (redacted, cut). */
function shortPath(p: string, root: string): string {
  const rel = isAbsolute(p) ? relative(root, p) : p;
  return clean(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p, 200);
}

/** A URL without its query, fragment and credentials. */
function urlShape(url: string | undefined): string {
  if (!url) return '?';
  try {
    const u = new URL(url);
    return capText(`${u.protocol}//${u.host}${u.pathname}`, 200);
  } catch {
    return clean(url.split(/[?#]/)[0], 200);
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The entries of `o` that are set (not undefined, not empty text). */
function pick(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
