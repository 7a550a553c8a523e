import type { App } from '../app.js';
import type { NamespaceScope } from '../scope/types.js';
import type { FixedResource } from './resources.js';

/** URI of the context pack resource. */
export const CONTEXT_URI = 'cairn://context';

/**
 * `cairn://context`: the session pack a Claude Code hook injects at session start (what the user is
 * working on, the last sessions, preferences, decisions, energy and check-ins), for clients without
 * hooks. Markdown within `CAIRN_CONTEXT_TOKENS` tokens, built when read.
 */
export function contextResource(pending: Promise<App>, scope: () => Promise<NamespaceScope>, options: { maxTokens: number; adhd: boolean }): FixedResource {
  return {
    name: 'context',
    uri: CONTEXT_URI,
    title: 'Where was I?',
    description: `What the user is working on, the last sessions, preferences and decisions (and energy and check-ins with the ADHD tools), within ${options.maxTokens} tokens. Read it at the start of a conversation.`,
    mimeType: 'text/markdown',
    async read() {
      return (await (await pending).context.sessionPack(await scope(), options)).text;
    },
  };
}
