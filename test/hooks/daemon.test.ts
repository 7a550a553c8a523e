import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonPaths, defaultDbUrl } from '../../src/hooks/socket.js';
import { readLine, WIRE_VERSION } from '../../src/hooks/wire.js';
import { cairn } from '../cli/run.js';
import { fixture, hookWorld, runHook } from './helpers.js';

/** Sends one wire request to the world's background Cairn and returns its reply. */
function ask(home: string, request: object): Promise<{ ok: boolean; [k: string]: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(daemonPaths(home, defaultDbUrl(home)).socket);
    socket.once('error', reject);
    socket.once('connect', () => {
      readLine(socket).then((line) => resolve(JSON.parse(line)), reject);
      socket.write(`${JSON.stringify(request)}\n`);
    });
  });
}

describe('the background Cairn', () => {
  it('is started once when the first hooks of a session come together, and every one is answered', async () => {
    const w = hookWorld();
    try {
      const runs = await Promise.all(
        Array.from({ length: 4 }, (_, i) => runHook(['SessionStart'], fixture('session-start', { cwd: w.project, session_id: `race-${i}` }), w.env())),
      );
      for (const r of runs) expect(JSON.parse(r.stdout).hookSpecificOutput.additionalContext).toContain('project shop-api');
      const status = JSON.parse((await cairn(['hook', '--status'], w.env())).stdout);
      expect(status).toMatchObject({ running: true, served: 4, version: expect.any(String) });
    } finally {
      await w.remove();
    }
  });

  it('takes over a pid file left by a process that is not a Cairn (a pid reused after a restart)', async () => {
    const w = hookWorld();
    try {
      const { pidFile } = daemonPaths(w.home, defaultDbUrl(w.home));
      mkdirSync(dirname(pidFile), { recursive: true });
      writeFileSync(pidFile, String(process.pid));
      const r = await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env());
      expect(JSON.parse(r.stdout).hookSpecificOutput.hookEventName).toBe('SessionStart');
    } finally {
      await w.remove();
    }
  });

  it('makes way for another Cairn version once it has answered it, and stops when asked', async () => {
    const w = hookWorld();
    try {
      await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env());
      expect(await ask(w.home, { v: WIRE_VERSION, version: '0.0.0-other', op: 'status' })).toMatchObject({ ok: true });
      await expect.poll(async () => (await cairn(['hook', '--status'], w.env())).code, { timeout: 10_000 }).toBe(1);
      await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env());
      expect(JSON.parse((await cairn(['hook', '--stop'], w.env())).stdout)).toEqual({ stopped: true });
      await expect.poll(async () => (await cairn(['hook', '--status'], w.env())).code, { timeout: 10_000 }).toBe(1);
      expect(await ask(w.home, { v: WIRE_VERSION + 1, version: 'x', op: 'status' }).catch((e: Error) => e.message)).toMatch(/ENOENT|ECONNREFUSED/);
    } finally {
      await w.remove();
    }
  });
});
