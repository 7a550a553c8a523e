import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type CallToolResult, type ClientCapabilities, CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { resolveConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { createMcpServer } from '../../src/server/mcp.js';
import type { ToolName, ToolOutputs } from './tool-outputs.js';

/** Options for a test server. */
export interface TestServerOptions {
  /** Extra CAIRN_* settings. CAIRN_EMBEDDINGS defaults to hashing (no network in tests). */
  env?: Record<string, string>;
  /** Reuse a data folder (e.g. to test restarts); default a fresh temp folder, removed on close. */
  home?: string;
  clock?: Clock;
  namespace?: string;
  /** The session's project namespace, beside `namespace` as its global one. Default: none (one namespace). */
  project?: string;
  capabilities?: ClientCapabilities;
  /**
   * When set, the client also declares `sampling` and answers every sampling request with this
   * (given the first message's text), or fails it with what this throws. Default: no sampling.
   */
  sample?: (prompt: string) => string | Promise<string>;
  /** How long a call waits for a database lock another process holds (AppOptions.busyWaitMs). */
  busyWaitMs?: number;
  /** Checks the cache file before it is opened (AppOptions.cacheChecker), e.g. one the test holds back. */
  cacheChecker?: AppOptions['cacheChecker'];
}

/** A real app + McpServer + SDK Client over an in-memory transport pair. */
export interface TestServer {
  client: Client;
  app: App;
  home: string;
  /** Calls a tool and returns its structuredContent, typed by the tool's output schema; throws with the error text on isError. */
  call<N extends ToolName>(name: N, args?: Record<string, unknown>): Promise<ToolOutputs[N]>;
  /** Calls a tool expecting a failure and returns the error text. */
  callError(name: ToolName, args?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Makes a temp folder under the OS temp dir. */
export function tempHome(prefix = 'cairn-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts a test server. Always `await close()` (afterEach/afterAll). */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const ownHome = opts.home === undefined;
  const home = opts.home ?? tempHome();
  const config = resolveConfig(
    { CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0', CAIRN_TZ: 'UTC', ...(opts.env ?? {}) },
    [],
  );
  const app = await createApp(config, {
    logger: silentLogger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.busyWaitMs === undefined ? {} : { busyWaitMs: opts.busyWaitMs }),
    ...(opts.cacheChecker ? { cacheChecker: opts.cacheChecker } : {}),
  });
  const global = opts.namespace ?? config.namespace;
  const project = opts.project;
  const server = createMcpServer(app, { namespace: global, ...(project ? { scope: async () => ({ project, global }) } : {}) });
  const [clientT, serverT] = InMemoryTransport.createLinkedPair();
  const capabilities = opts.sample ? { ...opts.capabilities, sampling: {} } : (opts.capabilities ?? {});
  const client = new Client({ name: 'cairn-test', version: '1.0.0' }, { capabilities });
  if (opts.sample) answerSampling(client, opts.sample);
  await server.connect(serverT);
  await client.connect(clientT);

  const raw = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    app,
    home,
    async call(name, args) {
      const res = await raw(name, args);
      if (res.isError) throw new Error(`${name} failed: ${textOf(res)}`);
      return res.structuredContent as never;
    },
    async callError(name, args) {
      const res = await raw(name, args);
      if (!res.isError) throw new Error(`${name} was expected to fail but returned ${JSON.stringify(res.structuredContent)}`);
      return textOf(res);
    },
    async close() {
      await client.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await app.close();
      if (ownHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

function answerSampling(client: Client, sample: (prompt: string) => string | Promise<string>): void {
  client.setRequestHandler(CreateMessageRequestSchema, async (req) => {
    const content = req.params.messages[0]?.content;
    const first = Array.isArray(content) ? content[0] : content;
    const text = first?.type === 'text' ? first.text : '';
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: await sample(text) } };
  });
}

function textOf(res: CallToolResult): string {
  return res.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}
