import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../app.js';
import { isCairnError } from '../errors.js';
import type { NamespaceScope } from '../scope/types.js';
import type { ResourceCollection } from './resources.js';

/** Ids offered per `completion/complete` on `cairn://episodes/{id}`. */
const COMPLETIONS = 20;

/**
 * `cairn://episodes/{id}`: one episode with its steps, outcome, reward and reflection. Listed newest
 * first (by start, then id); ids complete from the most recent episodes that start with the prefix.
 * The session's project episodes are listed; an id of the global namespace is read too.
 */
export function episodeCollection(pending: Promise<App>, scope: () => Promise<NamespaceScope>): ResourceCollection {
  const project = async () => (await scope()).project;
  return {
    name: 'episode',
    kind: 'episodes',
    title: 'Episode',
    description: 'One episode with its steps, outcome, reward and reflection (JSON).',
    async read(id) {
      const [app, { project: ns, global }] = await Promise.all([pending, scope()]);
      return app.episodes
        .get(ns, id)
        .catch((err: unknown) => (ns !== global && isCairnError(err, 'NOT_FOUND') ? app.episodes.get(global, id) : Promise.reject(err)));
    },
    async page(after, limit) {
      const before = after === undefined ? undefined : parseKey(after);
      const rows = await (await pending).episodes.list(await project(), before ? { before } : {}, limit + 1);
      const items = rows.slice(0, limit).map((e) => ({
        id: e.id,
        name: e.task.length > 80 ? `${e.task.slice(0, 79)}…` : e.task,
        description: `${e.status === 'open' ? 'open' : (e.outcomeType ?? 'completed')} · ${e.taskType} · started ${new Date(e.startedAt).toISOString()}`,
      }));
      const last = rows[limit - 1];
      return rows.length > limit && last ? { items, next: `${last.startedAt}:${last.id}` } : { items };
    },
    async complete(prefix) {
      const rows = await (await pending).episodes.list(await project(), prefix ? { idPrefix: prefix } : {}, COMPLETIONS);
      return rows.map((e) => e.id);
    },
  };
}

function parseKey(key: string): { startedAt: number; id: string } {
  const i = key.indexOf(':');
  const startedAt = Number(key.slice(0, i));
  if (i > 0 && Number.isSafeInteger(startedAt)) return { startedAt, id: key.slice(i + 1) };
  throw new McpError(ErrorCode.InvalidParams, 'resources/list: cursor is not one this server returned; start again without a cursor');
}
