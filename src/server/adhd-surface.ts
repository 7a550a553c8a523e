import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { PERSONA_PROMPTS } from '../adhd/prompts.js';
import { checkInOut } from '../../tools/schemas/adhd.js';
import type { App } from '../app.js';
import type { SessionHooks } from '../../tools/define-tool.js';

/** URI of the check-ins resource. */
export const CHECK_INS_URI = 'cairn://check-ins';

/**
 * The ADHD toolset's non-tool surface for one session: the six persona prompts, the
 * `cairn://check-ins` resource (with `resources/subscribe` and update notifications), and check-ins
 * relayed as MCP log notifications. Returns a function that detaches the session.
 */
export function registerAdhdSurface(server: McpServer, pending: Promise<App>, namespace: string, session: SessionHooks): () => void {
  for (const p of PERSONA_PROMPTS) {
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema: p.args }, (args: Record<string, string | undefined>) => ({
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: p.render(args) } }],
    }));
  }

  server.registerResource(
    'check-ins',
    CHECK_INS_URI,
    {
      title: 'Check-ins',
      description: 'Open, unacknowledged check-ins (hyperfocus, breaks, low energy, stalled tasks, stale episodes) as JSON, evaluated when read.',
      mimeType: 'application/json',
    },
    async (uri) => {
      const list = await (await pending).adhd.checkIns(namespace);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(list.checkIns.map(checkInOut)) }] };
    },
  );

  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    subscribed.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscribed.delete(req.params.uri);
    return {};
  });

  let detached = false;
  let detach = () => {
    detached = true;
  };
  pending.then(
    (app) => {
      if (detached) return;
      detach = app.onCheckIn(async (ns, checkIn) => {
        if (ns !== namespace) return;
        await session.notify(checkIn.severity === 'warning' ? 'warning' : 'info', { check_in: checkInOut(checkIn) });
        if (subscribed.has(CHECK_INS_URI)) await server.server.sendResourceUpdated({ uri: CHECK_INS_URI }).catch(() => undefined);
      });
    },
    () => undefined,
  );
  return () => detach();
}
