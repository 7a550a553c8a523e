import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createEpisodeRepo } from '../../src/storage/episode-repo.js';
import { openLibsql } from '../../src/storage/libsql.js';
import { migrate } from '../../src/storage/migrate.js';
import type { Db } from '../../src/storage/types.js';
import { tempHome } from '../helpers/client.js';
import { openEpisodeRecord } from '../helpers/records.js';

let home: string;
let db: Db;
beforeEach(async () => {
  home = tempHome();
  db = await openLibsql({ url: `file:${join(home, 'cairn.db')}` });
  await migrate(db, silentLogger);
  await db.execute('CREATE TABLE t (v TEXT NOT NULL)');
});
afterEach(() => {
  db.close();
  rmSync(home, { recursive: true, force: true });
});
const values = async () => (await db.execute('SELECT v FROM t ORDER BY rowid')).rows.map((r) => String(r.v));

describe('Tx.savepoint', () => {
  it('keeps the writes of a savepoint that resolves, and undoes only those of one that throws', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (?)', ['before']);
      await tx.savepoint((sp) => sp.execute('INSERT INTO t VALUES (?)', ['kept']));
      const failed = await tx
        .savepoint(async (sp) => {
          await sp.execute('INSERT INTO t VALUES (?)', ['undone']);
          await sp.execute('INSERT INTO t VALUES (NULL)');
        })
        .catch((err: unknown) => String(err));
      await tx.execute('INSERT INTO t VALUES (?)', ['after']);
      return failed;
    });
    expect(out).toMatch(/NOT NULL constraint failed/);
    expect(await values()).toEqual(['before', 'kept', 'after']);
  });

  it('nests: an inner rollback leaves the outer savepoint’s writes', async () => {
    await db.transaction((tx) =>
      tx.savepoint(async (outer) => {
        await outer.execute('INSERT INTO t VALUES (?)', ['outer']);
        await outer.savepoint((inner) => inner.execute('INSERT INTO t VALUES (NULL)')).catch(() => undefined);
        await outer.savepoint((inner) => inner.execute('INSERT INTO t VALUES (?)', ['inner']));
      }),
    );
    expect(await values()).toEqual(['outer', 'inner']);
  });

  it('rolls back everything when the transaction itself throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.savepoint((sp) => sp.execute('INSERT INTO t VALUES (?)', ['gone']));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await values()).toEqual([]);
  });
});

describe('EpisodeRepo', () => {
  it('reads the last steps of an episode only in its own namespace', async () => {
    const repo = createEpisodeRepo(db);
    await repo.create(openEpisodeRecord({ id: 'e1', namespace: 'a', task: 't', taskType: 'x', domain: 'd', startedAt: 1 }));
    await repo.appendStep('a', 'e1', { tool: 'read', action: 'r', parameters: {}, result: null, latencyMs: null, at: 2 });
    expect((await repo.lastSteps('a', 'e1', 5)).map((s) => s.tool)).toEqual(['read']);
    expect(await repo.lastSteps('b', 'e1', 5)).toEqual([]);
  });
});
