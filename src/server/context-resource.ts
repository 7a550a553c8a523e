import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { App } from '../app.js';
import type { Config } from '../config/index.js';
import type { NamespaceScope } from '../scope/types.js';

/** URI of the context pack resource. */
export const CONTEXT_URI = 'cairn://context';

/**
 * `cairn://context`: the session pack a Claude Code hook injects at session start (what the user is
 * working on, the last sessions, preferences, decisions, energy and check-ins), for clients without
 * hooks. Text within `CAIRN_CONTEXT_TOKENS` tokens, built when read.
 */
export function registerContextResource(server: McpServer, pending: Promise<App>, scope: () => Promise<NamespaceScope>, config: Config): void {
  server.registerResource(
    'context',
    CONTEXT_URI,
    {
      title: 'Where was I?',
      description: `What the user is working on, the last sessions, preferences and decisions (and energy and check-ins with the ADHD tools), within ${config.hooks.contextTokens} tokens. Read it at the start of a conversation.`,
      mimeType: 'text/markdown',
    },
    async (uri) => {
      const app = await pending;
      const pack = await app.context.sessionPack(await scope(), { maxTokens: config.hooks.contextTokens, adhd: config.toolsets.includes('adhd') });
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: pack.text }] };
    },
  );
}
