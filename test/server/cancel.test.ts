import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { startStdio } from '../../src/server/stdio.js';
import { tempHome } from '../helpers/client.js';
import { type RawCairn, spawnRawCairn } from '../helpers/stdio.js';

const FOREVER = { name: 'execute_agent_code', arguments: { code: 'while (true) {}', context: { task: 'spin' }, limits: { timeout_ms: 30_000 } } };
const rpc = (id: number, method: string, params: unknown) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;

/** Asks health_check until the sandbox runs a script (works whether or not the server sends progress). */
async function untilRunning(r: RawCairn): Promise<void> {
  for (let id = 100; id < 400; id++) {
    r.write({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'health_check', arguments: {} } });
    let reply = await r.next(15_000);
    while (reply.id !== id) reply = await r.next(15_000);
    if ((reply.result?.structuredContent?.sandbox as { busy?: number } | undefined)?.busy === 1) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the script never started');
}

let app: App | undefined;
let raw: RawCairn | undefined;
let home: string | undefined;
afterEach(async () => {
  await raw?.kill('SIGKILL');
  await app?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  app = raw = home = undefined;
});

describe('a cancelled call', () => {
  it('stops counting as in flight once its handler has stopped', async () => {
    home = tempHome('cairn-cancel-');
    app = await createApp(resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_CHECKIN_MINUTES: '0' }, []), { logger: silentLogger });
    const stdin = new PassThrough();
    const session = await startStdio(app, { stdin, stdout: new PassThrough() });
    stdin.write(rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } }));
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    stdin.write(rpc(2, 'tools/call', FOREVER));
    await vi.waitFor(() => expect(app!.sandbox.stats().busy).toBe(1), { timeout: 10_000 });
    expect(session.inFlight()).toBe(1);
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'user pressed stop' } })}\n`);
    await vi.waitFor(() => expect(session.inFlight()).toBe(0), { timeout: 10_000 });
    expect(await session.close(5_000)).toEqual({ drained: true });
  });

  it('lets a stdio server exit on SIGTERM without waiting out the grace period', async () => {
    home = tempHome('cairn-cancel-');
    raw = spawnRawCairn(home, { CAIRN_SHUTDOWN_GRACE_SECONDS: '600', CAIRN_LOG_LEVEL: 'info' });
    await raw.initialize();
    raw.write({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: FOREVER });
    await untilRunning(raw);
    raw.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } });
    expect(await raw.kill('SIGTERM')).toBe(0);
    expect(raw.stderr()).toMatch(/shutting down/);
    expect(raw.stderr()).not.toMatch(/grace period over/);
  });

  it('lets a stdio server exit when stdin closes', async () => {
    home = tempHome('cairn-cancel-');
    raw = spawnRawCairn(home, { CAIRN_SHUTDOWN_GRACE_SECONDS: '600' });
    await raw.initialize();
    raw.write({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: FOREVER });
    await untilRunning(raw);
    raw.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 8 } });
    await raw.close();
    expect(raw.exitCode()).toBe(0);
  });
});
