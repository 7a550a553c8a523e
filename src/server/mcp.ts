import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AnyTool, SessionHooks, ToolContext, ToolServices } from '../../tools/define-tool.js';
import { ALL_TOOLS } from '../../tools/index.js';
import { budgetedReply } from '../../tools/layer/reply-budget.js';
import type { App } from '../app.js';
import type { Config } from '../config/index.js';
import type { Toolset } from '../config/toolsets.js';
import { toToolResult } from '../errors.js';
import { type NamespaceScope, singleScope } from '../scope/types.js';
import { VERSION } from '../version.js';
import { trackHandlers } from './inflight.js';
import { instructionsFor } from './instructions.js';
import { progressFor } from './progress.js';
import { registerSurface } from './surface.js';

/** Per-session settings. */
export interface SessionOptions {
  /** The namespace this session may see (stdio: config; HTTP: the token's); its global namespace when it has a project. */
  namespace: string;
  /**
   * Finds the session's scope once, at its first call (stdio: from `CAIRN_PROJECT`, the client's
   * project folder or roots, the working folder). `roots` lists the client's roots as paths (empty
   * when it offers none). Default: the session has `namespace` alone.
   */
  scope?: (roots: () => Promise<string[]>) => Promise<NamespaceScope>;
  /** Tools to offer; default every tool in the enabled toolsets. */
  tools?: AnyTool[];
  /** Needed when `app` is still being created (a promise): the toolsets come from it. */
  config?: Config;
}

/**
 * Builds a thin McpServer for one client session over the shared app: tools of the enabled
 * toolsets, resources and prompts. All error mapping happens here, once.
 *
 * `app` may still be opening (a promise, with `opts.config`): the session can then answer
 * `initialize` and list tools at once, and calls wait for the database only when they need it.
 */
export function createMcpServer(appOrPending: App | Promise<App>, opts: SessionOptions): McpServer {
  const pending = Promise.resolve(appOrPending);
  const config = opts.config ?? (appOrPending as App).config;
  if (!config) throw new Error('createMcpServer: pass opts.config when the app is still being created');
  const server = new McpServer(
    { name: 'cairn', title: 'Cairn', version: VERSION },
    {
      // The rest is declared as it is registered: tools, prompts, resources and completions only when offered.
      capabilities: { logging: {} },
      instructions: instructionsFor(config.toolsets),
    },
  );
  trackHandlers(server);
  // The model loads only once a client is connected, so `initialize` is never delayed by it.
  server.server.oninitialized = () =>
    void pending.then(
      (app) => app.embeddings.start(),
      () => undefined,
    );
  const session = sessionHooks(server);
  const tools = (opts.tools ?? ALL_TOOLS).filter((t) => config.toolsets.includes(t.toolset));
  let services: ToolServices | undefined;
  let scoped: Promise<NamespaceScope> | undefined;
  const scope = () =>
    (scoped ??= opts.scope ? opts.scope(() => clientRoots(server)).catch(() => singleScope(opts.namespace)) : Promise.resolve(singleScope(opts.namespace)));

  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations },
      async (args: unknown, extra: Parameters<typeof progressFor>[0]) => {
        const app = await pending;
        const logger = app.logger.child({ ns: opts.namespace });
        const t0 = performance.now();
        services ??= toolServices(app);
        const progress = progressFor(extra);
        const sc = await scope();
        const ctx: ToolContext = {
          services,
          namespace: namespaceFor(tool.toolset, sc),
          scope: sc,
          session,
          logger,
          signal: extra.signal,
          ...(progress ? { progress: progress.report } : {}),
        };
        try {
          const reply = budgetedReply(tool.reply, args, await tool.handler(args, ctx), config.maxReplyTokens);
          app.metrics.record(tool.name, performance.now() - t0, true, opts.namespace);
          return reply;
        } catch (err) {
          app.metrics.record(tool.name, performance.now() - t0, false, opts.namespace);
          return toToolResult(err, (msg, fields) => logger.error(msg, { tool: tool.name, ...fields }));
        } finally {
          progress?.done();
        }
      },
    );
  }

  registerSurface(server, pending, {
    namespace: opts.namespace,
    scope,
    contextTokens: config.hooks.contextTokens,
    toolsets: config.toolsets,
    toolCount: tools.length,
    session,
  });
  return server;
}

/** What tools see of the app: its services, without the database, repositories or cache. */
function toolServices(app: App): ToolServices {
  const { memory, episodes, patterns, analysis, adhd, context, sandbox, health, metrics } = app;
  return { memory, episodes, patterns, analysis, adhd, context, sandbox, health, metrics };
}

/** Project data (memories, episodes, patterns) lives in the project's namespace; the person's (ADHD, metrics, health) in the global one. */
function namespaceFor(toolset: Toolset, scope: NamespaceScope): string {
  return toolset === 'memory' || toolset === 'episodes' || toolset === 'patterns' ? scope.project : scope.global;
}

/** The client's roots as local paths; none when it does not offer roots or does not answer within 2 s. */
async function clientRoots(server: McpServer): Promise<string[]> {
  if (!server.server.getClientCapabilities()?.roots) return [];
  const { roots } = await server.server.listRoots(undefined, { timeout: 2000 });
  return roots.flatMap((r) => (r.uri.startsWith('file:') ? [fileURLToPath(r.uri)] : []));
}

function sessionHooks(server: McpServer): SessionHooks {
  return {
    canSample: () => Boolean(server.server.getClientCapabilities()?.sampling),
    async sample(prompt, options) {
      const res = await server.server.createMessage(
        {
          messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
          maxTokens: options?.maxTokens ?? 800,
          ...(options?.systemPrompt ? { systemPrompt: options.systemPrompt } : {}),
        },
        options?.signal ? { signal: options.signal } : undefined,
      );
      const c = res.content as { type: string; text?: string };
      if (c.type !== 'text' || typeof c.text !== 'string') throw new Error('client returned a non-text sampling result');
      return c.text;
    },
    async notify(level, data) {
      try {
        await server.sendLoggingMessage({ level, logger: 'cairn', data });
      } catch {
        /* the client may not be connected any more */
      }
    },
  };
}
