import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { App } from '../app.js';
import { historyView } from '../memory/views.js';

/**
 * Registers `cairn://memories/{id}`: one memory in any state (live, superseded, merged,
 * forgotten) with the memories it superseded or absorbed (each in full), the one that replaced it,
 * and its audit trail — the history a client or a person reads to trust what Cairn remembers.
 */
export function registerMemoryResource(server: McpServer, pending: Promise<App>, namespace: string): void {
  server.registerResource(
    'memory',
    new ResourceTemplate('cairn://memories/{id}', { list: undefined }),
    {
      title: 'Memory and its history',
      description: 'One memory with what it superseded or absorbed, what replaced it, and every change (JSON).',
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const history = await (await pending).memory.history(namespace, String(vars.id));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(historyView(history)) }] };
    },
  );
}
