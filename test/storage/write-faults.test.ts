import { spawn } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fullMessage } from '../../src/storage/faults.js';
import { cliEnv, finished } from '../cli/run.js';
import { startTestServer, tempHome } from '../helpers/client.js';
import { CLI, callOk } from '../helpers/stdio.js';
import type { ToolOutputs } from '../helpers/tool-outputs.js';
import { call, raw, startHttp } from '../server/http-helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const home = () => {
  const h = tempHome();
  cleanups.push(() => rmSync(h, { recursive: true, force: true }));
  return h;
};

// A genuinely read-only database: the server runs as a user who may not write cairn.db. As root
// (who may write any file) the server process drops to uid/gid 65534 before starting; as anyone
// else, taking the write bit off the file is enough. Either way SQLite opens the file read-only.
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const DROP = `process.setgid(${NOBODY}); process.setuid(${NOBODY}); await import(process.argv[1]);`;
const cairnArgs = (args: string[]) => (asRoot ? ['--input-type=module', '-e', DROP, CLI, ...args] : [CLI, ...args]);

function makeReadOnly(h: string): void {
  const db = join(h, 'cairn.db');
  if (asRoot) {
    const own = (p: string) => {
      chownSync(p, NOBODY, NOBODY);
      if (statSync(p).isDirectory()) for (const f of readdirSync(p)) own(join(p, f));
    };
    own(h);
    chownSync(db, 0, 0);
    chmodSync(db, 0o644);
  } else {
    chmodSync(db, 0o444);
  }
}

/** A home whose database holds one memory and is then made read-only for the server's user. */
async function readOnlyHome(): Promise<{ h: string; id: string }> {
  const h = home();
  const s = await startTestServer({ home: h });
  const { id } = await s.call('remember', { content: 'kept on a read-only database', tags: ['ro'] });
  await s.close();
  makeReadOnly(h);
  return { h, id };
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return finished(spawn(process.execPath, cairnArgs(args), { env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('a read-only database', () => {
  it('refuses writes with STORE_READONLY, keeps answering reads, and health_check says unhealthy', async () => {
    const { h, id } = await readOnlyHome();
    const transport = new StdioClientTransport({ command: process.execPath, args: cairnArgs([]), env: cliEnv(h), stderr: 'pipe' });
    const client = new Client({ name: 'ro-test', version: '1.0.0' });
    await client.connect(transport);
    cleanups.push(() => client.close());

    const health = await callOk(client, 'health_check');
    expect(health.status).toBe('unhealthy');
    expect(health.primary).toMatchObject({ ok: true, writable: false });
    expect(health.primary.write_error).toMatch(/database file is read-only/);

    const refused = await client.callTool({ name: 'remember', arguments: { content: 'cannot be written' } });
    expect(refused.isError).toBe(true);
    expect(refused).toBeCairnError(
      'STORE_READONLY',
      /^database file is read-only: .* is not writable by this user .*nothing was written, reads still work — make the file/,
    );

    const found = await client.callTool({ name: 'query_memory', arguments: { query: 'read-only database' } });
    expect(found.isError).toBeFalsy();
    expect((found.structuredContent as ToolOutputs['query_memory']).results.map((r) => r.id)).toContain(id);
    expect((await callOk(client, 'health_check')).problems!.join(' ')).toMatch(/read-only/);
  });

  it('cairn health and cairn doctor exit 1 and say so; /readyz answers 503', async () => {
    const { h } = await readOnlyHome();
    const env = cliEnv(h);
    const health = await run(['health'], env);
    expect(health.code).toBe(1);
    expect(JSON.parse(health.stdout)).toMatchObject({ status: 'unhealthy', primary: { ok: true, writable: false } });

    const doctor = await run(['doctor'], env);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout + doctor.stderr).toMatch(/writes.*database file is read-only/);

    const child = spawn(process.execPath, cairnArgs(['serve', '--http', '--port', '0']), {
      env: cliEnv(h, { CAIRN_LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.push(() => void child.kill('SIGTERM'));
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`exited early: ${err}`)));
      const check = setInterval(() => {
        const m = /"url":"(http:\/\/[^"]+)"/.exec(err);
        if (m) {
          clearInterval(check);
          resolve(m[1]!);
        }
      }, 20);
    });
    const ready = await raw(new URL(url).origin, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'unavailable', db: { ok: true, writable: false } });
  });
});

describe('a full database', () => {
  it('names the free bytes and the folder when the disk itself is full', () => {
    expect(fullMessage('/data/cairn', 4096)).toBe(
      'disk full: 4096 bytes free at /data/cairn (0.0 MB); nothing was written — free space on that file system or move CAIRN_HOME to a larger one',
    );
  });

  it('refuses writes with STORE_FULL naming the free space, keeps reads, reports unhealthy until a write succeeds', async () => {
    const h = await startHttp();
    cleanups.push(() => h.close());
    const client = await h.connect();
    const kept = await call(client, 'remember', { content: 'written while there was room' });

    // SQLite's own page limit on the writing connection: the next page the database needs is refused with SQLITE_FULL.
    const pages = Number((await h.app.db.execute('PRAGMA page_count')).rows[0]![0]);
    await h.app.db.execute(`PRAGMA max_page_count = ${pages}`);
    const refused = await client.callTool({ name: 'remember', arguments: { content: 'x'.repeat(20_000) } });
    expect(refused.isError).toBe(true);
    // Where the file system has room (as on any test machine), the message names the page limit rather than the disk.
    expect(refused).toBeCairnError(
      'STORE_FULL',
      /^(database full: it reached its page limit \(PRAGMA max_page_count\) while \d+ bytes .* are free|disk full: \d+ bytes free) at \/.*; nothing was written/,
    );

    expect((await call(client, 'query_memory', { query: 'written while there was room' })).results.map((r: { id: string }) => r.id)).toContain(kept.id);
    const health = await call(client, 'health_check');
    expect(health.status).toBe('unhealthy');
    expect(health.primary).toMatchObject({ ok: true, writable: false });
    expect(health.primary.write_error).toMatch(/^(database|disk) full/);
    const ready = await raw(h.base, '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body).db.write_error).toMatch(/^(database|disk) full/);

    await h.app.db.execute('PRAGMA max_page_count = 1073741823');
    await call(client, 'remember', { content: 'written after space came back' });
    expect((await call(client, 'health_check')).status).toBe('healthy');
    expect((await raw(h.base, '/readyz')).status).toBe(200);
  });
});
