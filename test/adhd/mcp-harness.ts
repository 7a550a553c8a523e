import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { adhdConfigFrom, createAdhdService } from '../../src/adhd/service.js';
import { createApp, type App } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { resolveConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createMcpServer } from '../../src/server/mcp.js';
import { breakDownTask } from '../../tools/break-down-task.js';
import { energyReport } from '../../tools/energy-report.js';
import { focus } from '../../tools/focus.js';
import { getCheckIns } from '../../tools/get-check-ins.js';
import { logEnergy } from '../../tools/log-energy.js';
import { recoverContext } from '../../tools/recover-context.js';
import { updateTask } from '../../tools/update-task.js';
import { tempHome } from '../helpers/client.js';

export const ADHD_TOOLS = [breakDownTask, updateTask, logEnergy, energyReport, focus, recoverContext, getCheckIns];

/** Options for {@link startAdhdServer}. */
export interface AdhdServerOptions {
  clock: Clock;
  /** When set, the client declares `sampling` and answers every request with this (or throws it). */
  sample?: (prompt: string) => string | Promise<string>;
}

/**
 * A real app + McpServer (offering the ADHD tools) + SDK Client over an in-memory pair. Mirrors
 * test/helpers/client.ts, but passes the ADHD tools explicitly and wires `app.adhd` itself when
 * `createApp` does not yet, so these tests do not depend on the registry or app wiring.
 */
export async function startAdhdServer(opts: AdhdServerOptions) {
  const home = tempHome('cairn-adhd-mcp-');
  const config = resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0', CAIRN_TZ: 'UTC' }, []);
  const base = await createApp(config, { logger: silentLogger, clock: opts.clock });
  const app: App = (base as Partial<App>).adhd
    ? base
    : Object.assign(base, {
        adhd: createAdhdService({
          db: base.db,
          clock: opts.clock,
          logger: silentLogger,
          config: adhdConfigFrom(config),
          episodes: base.repos.episodes,
          memories: base.repos.memories,
        }),
      });
  const server = createMcpServer(app, { namespace: 'default', tools: ADHD_TOOLS });
  const [clientT, serverT] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'cairn-adhd-test', version: '1.0.0' }, { capabilities: opts.sample ? { sampling: {} } : {} });
  if (opts.sample) {
    const sample = opts.sample;
    client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
      const first = req.params.messages[0]?.content;
      const text = first && first.type === 'text' ? first.text : '';
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: await sample(text) } };
    });
  }
  await server.connect(serverT);
  await client.connect(clientT);
  await client.listTools(); // lets the client validate structuredContent against each output schema

  const textOf = (res: { content?: unknown }) => ((res.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('\n');
  return {
    client,
    app,
    async call<T = Record<string, any>>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      const res = await client.callTool({ name, arguments: args });
      if (res.isError) throw new Error(`${name} failed: ${textOf(res)}`);
      return res.structuredContent as T;
    },
    async callError(name: string, args: Record<string, unknown> = {}): Promise<string> {
      const res = await client.callTool({ name, arguments: args });
      if (!res.isError) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(res.structuredContent)}`);
      return textOf(res);
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
