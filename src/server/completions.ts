import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CompleteRequestSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PERSONA_PROMPTS } from '../adhd/prompts.js';
import type { App } from '../app.js';
import type { ResourceRegistry } from './resources.js';

/** Values per completion answer, the protocol's maximum. */
const MAX_VALUES = 100;
/** Open tasks looked at when completing a task argument. */
const TASKS_LOOKED_AT = 50;

type Completer = (value: string) => Promise<string[]> | string[];

const LEVELS = Array.from({ length: 10 }, (_, i) => String(i + 1));
const startsWith = (values: readonly string[], prefix: string) => values.filter((v) => v.toLowerCase().startsWith(prefix.toLowerCase()));

/**
 * `completion/complete` for one session, answered by Cairn rather than the SDK so that values can
 * come from the session's own data: persona names, energy levels, open task ids and titles for the
 * prompts' arguments, and recent ids for `cairn://<kind>/{id}` templates. An argument without a
 * completer gets no values; an unknown prompt or template is invalid params.
 */
export function registerCompletions(server: McpServer, pending: Promise<App>, namespace: string, resources: ResourceRegistry, prompts: boolean): void {
  const openTasks = async () => (await pending).adhd.openTasks(namespace, TASKS_LOOKED_AT);
  const byPrompt: Record<string, Record<string, Completer>> = {
    pattern: {
      persona: (v) =>
        startsWith(
          PERSONA_PROMPTS.map((p) => p.name).filter((n) => n !== 'pattern'),
          v,
        ),
    },
    entropy: {
      energy: (v) => startsWith(LEVELS, v),
      task: async (v) => (await openTasks()).map((t) => t.title).filter((t) => t.toLowerCase().includes(v.toLowerCase())),
    },
    flux: {
      task: async (v) => (await openTasks()).map((t) => t.title).filter((t) => t.toLowerCase().includes(v.toLowerCase())),
      task_id: async (v) => (await openTasks()).map((t) => t.id).filter((id) => id.startsWith(v)),
    },
    momentum: { level: (v) => startsWith(LEVELS, v) },
  };

  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler(CompleteRequestSchema, async (req) => {
    const { ref, argument } = req.params;
    let values: string[];
    if (ref.type === 'ref/prompt') {
      if (!prompts || !PERSONA_PROMPTS.some((p) => p.name === ref.name))
        throw new McpError(ErrorCode.InvalidParams, `completion/complete: no prompt named "${ref.name}"`);
      values = (await byPrompt[ref.name]?.[argument.name]?.(argument.value)) ?? [];
    } else {
      const collection = resources.byTemplate(ref.uri);
      if (!collection) throw new McpError(ErrorCode.InvalidParams, `completion/complete: no resource template ${ref.uri}`);
      values = argument.name === 'id' && collection.complete ? await collection.complete(argument.value) : [];
    }
    const unique = [...new Set(values)];
    return { completion: { values: unique.slice(0, MAX_VALUES), total: unique.length, hasMore: unique.length > MAX_VALUES } };
  });
}
