import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../app.js';
import { isCairnError } from '../errors.js';
import { historyView } from '../memory/views.js';
import type { ResourceCollection } from './resources.js';

/** Ids offered per `completion/complete` on `cairn://memories/{id}`, from the latest memories. */
const COMPLETIONS = 20;
/** Latest memories looked at when completing an id. */
const LOOKED_AT = 200;

/**
 * `cairn://memories/{id}`: one memory in any state (live, superseded, merged, forgotten) with the
 * memories it superseded or absorbed (each in full), the one that replaced it and its audit trail —
 * what a client or a person reads to trust what Cairn remembers. Listed newest first (visible
 * memories, by the same cursor as `query_memory`'s listing); ids complete from the latest ones.
 */
export function memoryCollection(pending: Promise<App>, namespace: string): ResourceCollection {
  return {
    name: 'memory',
    kind: 'memories',
    title: 'Memory and its history',
    description: 'One memory with what it superseded or absorbed, what replaced it, and every change (JSON).',
    async read(id) {
      return historyView(await (await pending).memory.history(namespace, id));
    },
    async page(after, limit) {
      const page = await (await pending).memory.browse(namespace, {}, { limit, ...(after !== undefined ? { cursor: after } : {}) }).catch((err: unknown) => {
        throw isCairnError(err, 'INVALID_INPUT')
          ? new McpError(ErrorCode.InvalidParams, 'resources/list: cursor is not one this server returned; start again without a cursor')
          : err;
      });
      const items = page.memories.map((m) => ({
        id: m.id,
        name: m.content.length > 80 ? `${m.content.slice(0, 79)}…` : m.content,
        description: `${m.kind} · ${new Date(m.createdAt).toISOString()}`,
      }));
      return page.nextCursor ? { items, next: page.nextCursor } : { items };
    },
    async complete(prefix) {
      const page = await (await pending).memory.browse(namespace, { includeHidden: true }, { limit: LOOKED_AT });
      return page.memories
        .map((m) => m.id)
        .filter((id) => id.startsWith(prefix))
        .slice(0, COMPLETIONS);
    },
  };
}
