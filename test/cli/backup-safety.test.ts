import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempHome } from '../helpers/client.js';
import { callOk, spawnCairn } from '../helpers/stdio.js';
import { cairn, cliEnv } from './run.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome('cairn-backup-');
  homes.push(h);
  return h;
};

async function remember(h: string, contents: string[]) {
  const s = await startTestServer({ home: h });
  try {
    for (const content of contents) await s.call('remember', { content });
  } finally {
    await s.close();
  }
}

async function memoryCount(h: string): Promise<number> {
  const s = await startTestServer({ home: h });
  try {
    return (await s.call('health_check')).counts.memories;
  } finally {
    await s.close();
  }
}

describe('backup never touches the live database', () => {
  it('refuses the database, its -wal/-shm files and the cache, by any path that reaches them', async () => {
    const h = home();
    await remember(h, ['first', 'second', 'third']);
    const elsewhere = home();
    symlinkSync(join(h, 'cairn.db'), join(elsewhere, 'link.db'));
    mkdirSync(join(h, 'sub'));
    const cases: Array<[string, RegExp]> = [
      [join(h, 'cairn.db'), /is the live database;/],
      [join(h, 'sub', '..', 'cairn.db'), /is the live database;/],
      [join(elsewhere, 'link.db'), /is the live database;/],
      [join(h, 'cairn.db-wal'), /is the live database's -wal file/],
      [join(h, 'cairn.db-shm'), /is the live database's -shm file/],
      [join(h, 'cache', 'cache.mdb'), /is the cache folder or a file in it/],
    ];
    for (const [target, message] of cases) {
      const r = await cairn(['backup', target, '--force'], cliEnv(h));
      expect(r.code, `${target}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing was changed/);
    }
    expect(await memoryCount(h)).toBe(3);
    expect(readdirSync(h).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses the -wal and -shm files of a running server, whose unflushed writes survive', async () => {
    const h = home();
    const server = await spawnCairn(h);
    try {
      for (let i = 0; i < 5; i++) await callOk(server.client, 'remember', { content: `written while serving ${i}` });
      expect(existsSync(join(h, 'cairn.db-wal'))).toBe(true);
      for (const suffix of ['-wal', '-shm']) {
        const r = await cairn(['backup', join(h, `cairn.db${suffix}`), '--force'], cliEnv(h));
        expect(r.code, r.stderr).toBe(2);
      }
      await callOk(server.client, 'remember', { content: 'written after the refused backups' });
      const q = await callOk(server.client, 'query_memory', { query: 'written while serving', limit: 20 });
      expect(q.results.filter((x) => x.content?.startsWith('written while serving'))).toHaveLength(5);
    } finally {
      await server.client.close();
    }
    expect(await memoryCount(h)).toBe(6);
  });

  it('a backup that fails midway leaves the file it was to replace as it was', async () => {
    const h = home();
    await remember(
      h,
      Array.from({ length: 300 }, (_, i) => `memory number ${i} with enough words to fill a few pages of the table`),
    );
    const target = join(home(), 'nightly.db');
    expect((await cairn(['backup', target], cliEnv(h))).code).toBe(0);
    const before = readFileSync(target);

    // Damage a page of the memories table in the live file: VACUUM INTO fails when it reaches it.
    const client = createClient({ url: `file:${join(h, 'cairn.db')}` });
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const root = Number((await client.execute(`SELECT rootpage FROM sqlite_master WHERE name = 'memories'`)).rows[0]!.rootpage);
    const pageSize = Number((await client.execute('PRAGMA page_size')).rows[0]!.page_size);
    client.close();
    const fd = openSync(join(h, 'cairn.db'), 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);

    const r = await cairn(['backup', target, '--force'], cliEnv(h));
    expect(existsSync(target) && readFileSync(target).equals(before)).toBe(true);
    expect(readdirSync(join(target, '..'))).toEqual(['nightly.db']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the backup failed .*; .*nightly\.db was not changed/);
  });

  it('replaces an existing backup only with --force, and the new copy is complete', async () => {
    const h = home();
    await remember(h, ['one']);
    const target = join(home(), 'snap.db');
    expect((await cairn(['backup', target], cliEnv(h))).code).toBe(0);
    await remember(h, ['two']);
    const again = await cairn(['backup', target], cliEnv(h));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; choose a new path or pass --force/);
    const forced = await cairn(['backup', target, '--force'], cliEnv(h));
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).counts.memories).toBe(2);
  });
});

describe('restore', () => {
  it('says a folder is not a Cairn backup file', async () => {
    const h = home();
    const r = await cairn(['restore', home()], cliEnv(h));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/is a folder, not a Cairn backup file/);
    expect(r.stderr).not.toMatch(/ConnectionFailed/);
  });

  it('refuses the live database and its files as a source', async () => {
    const h = home();
    await remember(h, ['kept']);
    const r = await cairn(['restore', join(h, 'cairn.db')], cliEnv(h));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/is the live database, not a backup/);
    expect(await memoryCount(h)).toBe(1);
  });
});
