import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { handshakeOver } from '../../src/server/handshake.js';
import { createMcpServer } from '../../src/server/mcp.js';
import { startStdio } from '../../src/server/stdio.js';
import { tempHome } from '../helpers/client.js';

let app: App | undefined;
let home: string | undefined;
afterEach(async () => {
  await app?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  app = undefined;
});

const rpc = (id: number, method: string, params: unknown) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;

describe('stdio lifecycle', () => {
  it('answers a call in flight before closing, then ends when stdin ends', async () => {
    home = tempHome('cairn-stdio-');
    app = await createApp(resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_CHECKIN_MINUTES: '0' }, []), { logger: silentLogger });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const lines: Array<{ id?: number; result?: { structuredContent?: unknown } }> = [];
    let buf = '';
    stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const remember = app.memory.remember.bind(app.memory);
    app.memory.remember = async (ns, input) => {
      await gate;
      return remember(ns, input);
    };
    const session = await startStdio(app, { stdin, stdout });
    stdin.write(rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } }));
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    stdin.write(rpc(2, 'tools/call', { name: 'remember', arguments: { content: 'answered before exit' } }));
    await vi.waitFor(() => expect(session.inFlight()).toBe(1));
    const closing = session.close(10_000);
    release();
    expect(await closing).toEqual({ drained: true });
    const reply = lines.find((l) => l.id === 2);
    expect(reply?.result?.structuredContent).toMatchObject({ deduplicated: false });
    stdin.end();
    await session.closed;
  });
});

const NEVER = 600_000;
/** A session over an app that opens only when the test says so, with the handshake watched. */
async function session(graceMs: number, silentMs: number) {
  home = tempHome('cairn-handshake-');
  const config = resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_CHECKIN_MINUTES: '0', CAIRN_LOG_LEVEL: 'silent' }, []);
  let open!: () => void;
  const opening = new Promise<App>((resolve) => {
    open = () => resolve(createApp(config, { logger: silentLogger }).then((a) => (app = a)));
  });
  const server = createMcpServer(opening, { namespace: config.namespace, config });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  let over = false;
  const handshake = handshakeOver(serverSide, graceMs, silentMs).then(() => {
    over = true;
  });
  const client = new Client({ name: 'handshake-test', version: '1' });
  return { client, clientSide, handshake, open, isOver: () => over };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the handshake before a stdio app opens', () => {
  it('answers initialize and lists tools and prompts without the app; the first call ends the handshake and waits for it', async () => {
    const s = await session(NEVER, NEVER);
    await s.client.connect(s.clientSide);
    expect((await s.client.listTools()).tools.map((t) => t.name)).toContain('remember');
    expect((await s.client.listPrompts()).prompts.length).toBeGreaterThan(0);
    await settle();
    expect(s.isOver()).toBe(false);
    const call = s.client.callTool({ name: 'remember', arguments: { content: 'written once the app opened' } });
    await s.handshake;
    s.open();
    const reply = await call;
    expect(reply.isError).toBeFalsy();
    expect(reply.structuredContent).toMatchObject({ deduplicated: false });
  });

  it('ends a short grace after initialize was answered, with no further message', async () => {
    const s = await session(5, NEVER);
    await s.client.connect(s.clientSide);
    await s.handshake;
    expect(s.isOver()).toBe(true);
    s.open();
  });

  it('ends on its own when the client says nothing at all', async () => {
    const s = await session(NEVER, 5);
    await s.handshake;
    expect(s.isOver()).toBe(true);
    s.open();
  });

  it('ends when the transport closes', async () => {
    const s = await session(NEVER, NEVER);
    await s.client.connect(s.clientSide);
    await s.client.close();
    await s.handshake;
    expect(s.isOver()).toBe(true);
  });
});
