import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { CairnError } from '../errors.js';

/**
 * JSON-RPC code for "resource not found". The MCP specification up to 2025-11-25 (every version
 * SDK 1.32 negotiates) recommends -32002, with the URI in `data`.
 */
export const RESOURCE_NOT_FOUND = -32002;

/** Resources listed per `resources/list` page. */
export const RESOURCE_PAGE_SIZE = 50;

/** One resource with a fixed URI, such as `cairn://check-ins`. */
export interface FixedResource {
  name: string;
  uri: string;
  title: string;
  description: string;
  /** The resource as JSON, or as text when `mimeType` names a text type. */
  read(): Promise<unknown>;
  /** Default `application/json`; another type (`text/markdown`) serves what `read` returns as it is. */
  mimeType?: string;
  /** True when `notifications/resources/updated` is sent for it (so `resources/subscribe` accepts it). */
  updates?: boolean;
}

/** A family of resources `cairn://<kind>/{id}`, one per item of a service, such as episodes. */
export interface ResourceCollection {
  name: string;
  /** The URI path segment: `episodes` gives `cairn://episodes/{id}`. */
  kind: string;
  title: string;
  description: string;
  /** The item as JSON, or null when there is none with this id in the session's namespace. */
  read(id: string): Promise<unknown | null>;
  /** Items newest first, after `after` (a key this collection returned as `next`), at most `limit`. */
  page(after: string | undefined, limit: number): Promise<{ items: Array<{ id: string; name: string; description?: string }>; next?: string }>;
  /** Ids starting with `prefix`, most recent first (`completion/complete` on the template). */
  complete?(prefix: string): Promise<string[]>;
  /** True when updates are sent for its items. */
  updates?: boolean;
}

/** The resources of one session. Register everything, then `install()` once, before connecting. */
export interface ResourceRegistry {
  fixed(resource: FixedResource): void;
  collection(collection: ResourceCollection): void;
  /** The collection whose URI template is `template`, if any (for completions). */
  byTemplate(template: string): ResourceCollection | undefined;
  /** Sets the handlers and the `resources` capability; does nothing when nothing was registered. */
  install(): void;
  /** Sends `notifications/resources/updated` for `uri` when this session subscribed to it. */
  updated(uri: string): Promise<void>;
}

const templateOf = (kind: string) => `cairn://${kind}/{id}`;
const notFound = (uri: string) => new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });

/**
 * Cairn's resources for one session, served by its own handlers rather than the SDK's: reads of
 * unknown resources answer -32002, `resources/list` pages through every collection with an opaque
 * cursor, and `resources/subscribe` accepts only resources this server sends updates for.
 */
export function createResourceRegistry(server: McpServer, logError: (message: string, fields: Record<string, unknown>) => void): ResourceRegistry {
  const fixed: FixedResource[] = [];
  const collections: ResourceCollection[] = [];
  const subscribed = new Set<string>();

  const locate = (uri: string): { fixed: FixedResource } | { collection: ResourceCollection; id: string } | null => {
    const f = fixed.find((r) => r.uri === uri);
    if (f) return { fixed: f };
    const m = /^cairn:\/\/([a-z-]+)\/([^/?#]+)$/.exec(uri);
    const c = m ? collections.find((x) => x.kind === m[1]) : undefined;
    return c && m ? { collection: c, id: decodeURIComponent(m[2]!) } : null;
  };

  /** Reads one resource, or throws -32002 / a logged internal error. */
  const read = async (uri: string): Promise<unknown> => {
    const where = locate(uri);
    if (!where) throw notFound(uri);
    try {
      const value = 'fixed' in where ? await where.fixed.read() : await where.collection.read(where.id);
      if (value === null) throw notFound(uri);
      return value;
    } catch (err) {
      if (err instanceof McpError) throw err;
      if (err instanceof CairnError && err.code === 'NOT_FOUND') throw notFound(uri);
      if (err instanceof CairnError) throw new McpError(ErrorCode.InternalError, `${err.code}: ${err.message}`);
      const id = Math.random().toString(36).slice(2, 10);
      logError('internal error', { error_id: id, uri, err });
      throw new McpError(ErrorCode.InternalError, `unexpected server error (error id ${id}); the server log has details`);
    }
  };

  return {
    fixed: (r) => void fixed.push(r),
    collection: (c) => void collections.push(c),
    byTemplate: (template) => collections.find((c) => templateOf(c.kind) === template),
    install() {
      if (fixed.length === 0 && collections.length === 0) return;
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler(ListResourcesRequestSchema, async (req) => {
        const cursor = decodeCursor(req.params?.cursor);
        const resources: Array<{ uri: string; name: string; title?: string; description?: string; mimeType: string }> = [];
        if (cursor.collection === 0 && cursor.after === undefined) {
          for (const r of fixed)
            resources.push({ uri: r.uri, name: r.name, title: r.title, description: r.description, mimeType: r.mimeType ?? 'application/json' });
        }
        let at = cursor.collection;
        let after = cursor.after;
        while (at < collections.length && resources.length < RESOURCE_PAGE_SIZE) {
          const c = collections[at]!;
          const page = await c.page(after, RESOURCE_PAGE_SIZE - resources.length);
          for (const item of page.items) {
            resources.push({
              uri: `cairn://${c.kind}/${encodeURIComponent(item.id)}`,
              name: item.name,
              ...(item.description ? { description: item.description } : {}),
              mimeType: 'application/json',
            });
          }
          if (page.next !== undefined && page.items.length > 0) {
            if (resources.length >= RESOURCE_PAGE_SIZE) return { resources, nextCursor: encodeCursor(at, page.next) };
            after = page.next;
            continue;
          }
          at += 1;
          after = undefined;
        }
        return at < collections.length ? { resources, nextCursor: encodeCursor(at, undefined) } : { resources };
      });
      server.server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
        resourceTemplates: collections.map((c) => ({
          uriTemplate: templateOf(c.kind),
          name: c.name,
          title: c.title,
          description: c.description,
          mimeType: 'application/json',
        })),
      }));
      server.server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
        const uri = req.params.uri;
        const value = await read(uri);
        const mimeType = fixed.find((r) => r.uri === uri)?.mimeType ?? 'application/json';
        return { contents: [{ uri, mimeType, text: mimeType === 'application/json' ? JSON.stringify(value) : String(value) }] };
      });
      server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
        const uri = req.params.uri;
        const where = locate(uri);
        if (!where) throw notFound(uri);
        await read(uri);
        const updates = 'fixed' in where ? where.fixed.updates : where.collection.updates;
        if (!updates) {
          const offered = [...fixed.filter((r) => r.updates).map((r) => r.uri), ...collections.filter((c) => c.updates).map((c) => templateOf(c.kind))];
          throw new McpError(
            ErrorCode.InvalidParams,
            `resources/subscribe: ${uri} sends no updates; subscribe to ${offered.join(', ') || 'nothing on this server'}`,
          );
        }
        subscribed.add(uri);
        return {};
      });
      server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
        subscribed.delete(req.params.uri);
        return {};
      });
    },
    async updated(uri) {
      if (!subscribed.has(uri)) return;
      await server.server.sendResourceUpdated({ uri }).catch(() => undefined);
    },
  };
}

function encodeCursor(collection: number, after: string | undefined): string {
  return Buffer.from(JSON.stringify(after === undefined ? { c: collection } : { c: collection, a: after })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { collection: number; after: string | undefined } {
  if (cursor === undefined) return { collection: 0, after: undefined };
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c?: unknown; a?: unknown };
    if (Number.isInteger(v.c) && (v.c as number) >= 0 && (v.a === undefined || typeof v.a === 'string'))
      return { collection: v.c as number, after: v.a as string | undefined };
  } catch {
    /* answered below */
  }
  throw new McpError(ErrorCode.InvalidParams, 'resources/list: cursor is not one this server returned; start again without a cursor');
}
