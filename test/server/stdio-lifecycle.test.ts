import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
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
