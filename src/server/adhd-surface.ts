import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SessionHooks } from '../../tools/define-tool.js';
import { checkInOut } from '../../tools/schemas/adhd.js';
import { PERSONA_PROMPTS } from '../adhd/prompts.js';
import type { App } from '../app.js';
import type { ResourceRegistry } from './resources.js';

/** URI of the check-ins resource. */
export const CHECK_INS_URI = 'cairn://check-ins';

/**
 * The ADHD toolset's non-tool surface for one session: the six persona prompts, the
 * `cairn://check-ins` resource (subscribable), and new check-ins relayed to the client — each as an
 * MCP log notification, and one `resources/updated` per batch (a monitor run or a call that raised
 * them), not one per check-in. Returns a function that detaches the session.
 */
export function registerAdhdSurface(
  server: McpServer,
  pending: Promise<App>,
  namespace: string,
  session: SessionHooks,
  resources: ResourceRegistry,
): () => void {
  for (const p of PERSONA_PROMPTS) {
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema: p.args }, (args: Record<string, string | undefined>) => ({
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: p.render(args) } }],
    }));
  }

  resources.fixed({
    name: 'check-ins',
    uri: CHECK_INS_URI,
    title: 'Check-ins',
    description: 'Open, unacknowledged check-ins (hyperfocus, breaks, low energy, stalled tasks, stale episodes) as JSON, evaluated when read.',
    updates: true,
    async read() {
      const list = await (await pending).adhd.checkIns(namespace);
      return list.checkIns.map(checkInOut);
    },
  });

  let detached = false;
  let detach = () => {
    detached = true;
  };
  pending.then(
    (app) => {
      if (detached) return;
      detach = app.onCheckIns(async (ns, checkIns) => {
        if (ns !== namespace) return;
        for (const c of checkIns) await session.notify(c.severity === 'warning' ? 'warning' : 'info', { check_in: checkInOut(c) });
        await resources.updated(CHECK_INS_URI);
      });
    },
    () => undefined,
  );
  return () => detach();
}
