import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../app.js';
import { isCairnError } from '../errors.js';
import { historyView } from '../memory/views.js';
import type { NamespaceScope } from '../scope/types.js';
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
 * In a project, the project's memories and the global ones are listed together and read by id.
 */
export function memoryCollection(pending: Promise<App>, scope: () => Promise<NamespaceScope>): ResourceCollection {
  const both = async () => {
    const { project, global } = await scope();
    return { ns: project, alsoIn: project === global ? [] : [global], global };
  };
  return {
    name: 'memory',
    kind: 'memories',
    title: 'Memory and its history',
    description: 'One memory with what it superseded or absorbed, what replaced it, and every change (JSON).',
    async read(id) {
      const [app, { ns, global }] = await Promise.all([pending, both()]);
      const history = await app.memory
        .history(ns, id)
        .catch((err: unknown) => (ns !== global && isCairnError(err, 'NOT_FOUND') ? app.memory.history(global, id) : Promise.reject(err)));
      return historyView(history);
    },
    async page(after, limit) {
      const { ns, alsoIn } = await both();
      const page = await (await pending).memory.browse(ns, { alsoIn }, { limit, ...(after !== undefined ? { cursor: after } : {}) }).catch((err: unknown) => {
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
      const { ns, alsoIn } = await both();
      const page = await (await pending).memory.browse(ns, { includeHidden: true, alsoIn }, { limit: LOOKED_AT });
      return page.memories
        .map((m) => m.id)
        .filter((id) => id.startsWith(prefix))
        .slice(0, COMPLETIONS);
    },
  };
}
