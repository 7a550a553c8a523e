import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SessionHooks } from '../../tools/define-tool.js';
import type { App } from '../app.js';
import type { Toolset } from '../config/toolsets.js';
import { registerAdhdSurface } from './adhd-surface.js';
import { registerCompletions } from './completions.js';
import { episodeCollection } from './episode-resource.js';
import { memoryCollection } from './memory-resource.js';
import { createResourceRegistry } from './resources.js';

/** What a session's surface beyond tools depends on. */
export interface SurfaceOptions {
  namespace: string;
  toolsets: readonly Toolset[];
  /** Tools registered on the server (their capability is adjusted here). */
  toolCount: number;
  session: SessionHooks;
}

/**
 * Everything a session offers besides tools: resources (memories with the `memory` toolset,
 * episodes with `episodes`, check-ins with `adhd`), the persona prompts (`adhd`), completions for both, and the final
 * capabilities. Call after the tools are registered and before connecting. Cairn's lists do not
 * change during a session, so `listChanged` is declared false wherever the SDK declared it.
 */
export function registerSurface(server: McpServer, pending: Promise<App>, opts: SurfaceOptions): void {
  const { namespace, toolsets } = opts;
  const logError = (msg: string, fields: Record<string, unknown>) =>
    void pending.then(
      (app) => app.logger.error(msg, { ns: namespace, ...fields }),
      () => undefined,
    );
  const resources = createResourceRegistry(server, logError);
  if (toolsets.includes('memory')) resources.collection(memoryCollection(pending, namespace));
  if (toolsets.includes('episodes')) resources.collection(episodeCollection(pending, namespace));
  const prompts = toolsets.includes('adhd');
  if (prompts) {
    const detach = registerAdhdSurface(server, pending, namespace, opts.session, resources);
    const previous = server.server.onclose;
    server.server.onclose = () => {
      detach();
      previous?.();
    };
  }
  resources.install();
  if (prompts || toolsets.includes('episodes') || toolsets.includes('memory')) registerCompletions(server, pending, namespace, resources, prompts);
  server.server.registerCapabilities({
    ...(opts.toolCount > 0 ? { tools: { listChanged: false } } : {}),
    ...(prompts ? { prompts: { listChanged: false } } : {}),
  });
}
