import { homedir } from 'node:os';
import type { Config } from '../config/index.js';
import type { ContextService } from '../context/service.js';
import type { EpisodeService } from '../episodes/service.js';
import type { Logger } from '../logger.js';
import type { MemoryService } from '../memory/service.js';
import { stripPrivate } from '../privacy/private-tags.js';
import { capText, redactSecrets } from '../privacy/redact.js';
import { resolveProject } from '../scope/project.js';
import { readNamespaces } from '../scope/types.js';
import { createSessionCapture, type SessionRef } from './capture.js';
import { type HookEvent, parseHookPayload } from './payload.js';
import { toolStep } from './steps.js';

/** One hook to answer: the event, its payload as Claude Code sent it, and the settings of the hook's environment. */
export interface HookRequest {
  event: HookEvent;
  payload: unknown;
  config: Config;
}

/** Claude Code's JSON hook output (`hookSpecificOutput.additionalContext` for SessionStart and UserPromptSubmit). */
export interface HookOutput {
  hookSpecificOutput: { hookEventName: 'SessionStart' | 'UserPromptSubmit'; additionalContext: string };
}

/** The answer to a hook, and work to do once it has been sent (warming an index, closing the previous turn). */
export interface HookReply {
  /** What to print on stdout; null prints nothing. */
  output: HookOutput | null;
  after?: () => Promise<void>;
}

/** Answers Claude Code hooks over Cairn's services. */
export interface HookHandler {
  handle(request: HookRequest): Promise<HookReply>;
}

/** Dependencies of the hook handler. */
export interface HookHandlerDeps {
  memory: MemoryService;
  episodes: EpisodeService;
  context: ContextService;
  logger: Logger;
  /** How long a prompt waits for its memories (a namespace's first search loads its index), ms. Default 1500. */
  promptWaitMs?: number;
}

/** Sessions whose latest request is remembered (for the task of the episode its tool uses start). */
const REMEMBERED_SESSIONS = 500;

/**
 * Creates the handler: SessionStart → the project's context pack; UserPromptSubmit → the memories
 * relevant to the prompt (nothing when none is); PostToolUse and PostToolUseFailure → a step of the
 * session's episode; Stop, SessionEnd and PreCompact → the episode completed and a session summary
 * stored. With `CAIRN_CAPTURE=off` nothing is recorded and context is still given.
 */
export function createHookHandler(deps: HookHandlerDeps): HookHandler {
  const capture = createSessionCapture(deps);
  const requests = new Map<string, string>();
  const promptWaitMs = deps.promptWaitMs ?? 1500;

  return {
    async handle({ event, payload, config }) {
      const input = parseHookPayload(event, payload);
      const p = input.payload;
      const project = resolveProject(config.project, config.namespace, config.projectDir ?? p.cwd, homedir());
      const { scope } = project;
      const session: SessionRef = { id: p.session_id, task: requests.get(p.session_id) ?? null, project: project.label, cwd: p.cwd };
      const capturing = config.hooks.capture;

      switch (input.event) {
        case 'SessionStart': {
          const pack = await deps.context.sessionPack(scope, {
            maxTokens: config.hooks.contextTokens,
            adhd: config.toolsets.includes('adhd'),
            ...(project.label ? { projectName: project.label } : {}),
          });
          const [ns, ...alsoIn] = readNamespaces(scope);
          // The first prompt should not wait for the namespaces' indexes to load.
          const warm = async () => void (await deps.memory.query(ns!, { query: 'warm up', scope: ['memories'], limit: 1, alsoIn }));
          return { output: context('SessionStart', pack.text), after: warm };
        }
        case 'UserPromptSubmit': {
          const request = capText(redactSecrets(stripPrivate(input.payload.prompt)).replace(/\s+/g, ' ').trim(), 300);
          // The previous turn ended without Stop when the user interrupted it: close it before this one starts.
          const closePrevious = capturing ? async () => void (await capture.finish(scope.project, session)) : undefined;
          if (request) remember(requests, p.session_id, request);
          const found = await withDeadline(deps.context.promptContext(scope, input.payload.prompt, { maxTokens: config.hooks.promptTokens }), promptWaitMs);
          return { output: found ? context('UserPromptSubmit', found.text) : null, ...(closePrevious ? { after: closePrevious } : {}) };
        }
        case 'PostToolUse':
        case 'PostToolUseFailure':
          if (capturing) await capture.recordStep(scope.project, session, toolStep(input, project.root ?? p.cwd));
          return { output: null };
        case 'Stop':
        case 'SessionEnd':
        case 'PreCompact': {
          if (capturing) {
            const last = input.event === 'Stop' ? input.payload.last_assistant_message : undefined;
            const lastReply = last ? capText(redactSecrets(stripPrivate(last)).replace(/\s+/g, ' ').trim(), 300) : '';
            await capture.finish(scope.project, session, lastReply ? { lastReply } : {});
          }
          if (input.event === 'SessionEnd') requests.delete(p.session_id);
          return { output: null };
        }
      }
    },
  };
}

function context(hookEventName: HookOutput['hookSpecificOutput']['hookEventName'], additionalContext: string): HookOutput {
  return { hookSpecificOutput: { hookEventName, additionalContext } };
}

/** Keeps the latest request of a session, forgetting the oldest sessions beyond a bound. */
function remember(requests: Map<string, string>, session: string, request: string): void {
  requests.delete(session);
  requests.set(session, request);
  if (requests.size > REMEMBERED_SESSIONS) requests.delete(requests.keys().next().value!);
}

/** The promise's value, or null when it takes longer than `ms` (it keeps running; a failure after the deadline is ignored). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
