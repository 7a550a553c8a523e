import { describe, expect, it } from 'vitest';
import { exportNamespace } from '../../src/ops/transfer/export.js';
import { importCairn } from '../../src/ops/transfer/import-cairn.js';
import { checkRow } from '../../src/server/import-rules.js';
import { createExportRepo, EXPORT_ORDER } from '../../src/storage/export-repo.js';
import { startTestServer } from '../helpers/client.js';

/** Collects written lines; never applies backpressure. */
function memorySink() {
  const lines: string[] = [];
  return { lines, write: (s: string) => lines.push(s.trimEnd()) > 0, on: () => undefined, off: () => undefined };
}

async function* iterate(lines: string[]) {
  yield* lines;
}

describe('export repository', () => {
  it('exports every namespaced table, new ones included, and round-trips BLOBs', async () => {
    const a = await startTestServer();
    const b = await startTestServer();
    try {
      for (const s of [a, b]) await s.app.db.execute('CREATE TABLE zz_future (id TEXT PRIMARY KEY, namespace TEXT NOT NULL, payload BLOB, note TEXT)');
      await a.app.db.execute('INSERT INTO zz_future VALUES (?, ?, ?, ?)', ['f1', 'default', new Uint8Array([0, 1, 2, 250, 255]), 'héllo']);
      await a.app.db.execute('INSERT INTO zz_future VALUES (?, ?, ?, ?)', ['f2', 'other', new Uint8Array([9]), 'not exported']);
      await a.call('remember', { content: 'exported with the rest' });

      const repo = createExportRepo(a.app.db);
      const names = (await repo.tables()).map((t) => t.name);
      expect(names.slice(0, 3)).toEqual(['memories', 'episodes', 'episode_steps']);
      expect(names).toContain('zz_future');
      expect(names.indexOf('zz_future')).toBeGreaterThan(names.indexOf(EXPORT_ORDER.at(-1)!));
      expect(names.some((n) => n.endsWith('_fts'))).toBe(false);

      const sink = memorySink();
      const counts = await exportNamespace(repo, sink, { namespace: 'default', cairnVersion: 'test', now: 0, pageSize: 1 });
      expect(counts.zz_future).toBe(1);
      expect(counts.memories).toBe(1);
      expect(sink.lines.find((l) => l.startsWith('{"type":"row","table":"zz_future"'))).toContain('"payload":{"$base64":"AAEC+v8="}');

      const report = await importCairn(createExportRepo(b.app.db), iterate(sink.lines), { namespace: 'moved', checkRow, batchSize: 2 });
      expect(report.inserted).toMatchObject({ memories: 1, zz_future: 1 });
      const row = (await b.app.db.execute('SELECT * FROM zz_future')).rows[0]!;
      expect(row.namespace).toBe('moved');
      expect(row.note).toBe('héllo');
      expect([...new Uint8Array(row.payload as ArrayBuffer)]).toEqual([0, 1, 2, 250, 255]);
      expect((await createExportRepo(b.app.db).namespaces()).map((n) => n.namespace)).toEqual(['moved']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses an export from a newer schema and drops columns this database lacks', async () => {
    const s = await startTestServer();
    try {
      const repo = createExportRepo(s.app.db);
      const header = (schema: number) =>
        JSON.stringify({ type: 'cairn-export', format_version: 1, cairn_version: 'x', schema_version: schema, namespace: 'n', exported_at: '', tables: [] });
      await expect(importCairn(repo, iterate([header(999)]), { namespace: 'default', checkRow })).rejects.toBeCairnError(
        'STORE_NEWER_THAN_CODE',
        /schema version 999 but this database is at/,
      );
      const mem = {
        id: 'm1',
        namespace: 'x',
        content: 'from the future',
        kind: 'note',
        tags: '[]',
        importance: 0.5,
        metadata: '{}',
        content_hash: 'h1',
        created_at: 1,
        updated_at: 1,
        shiny_new_column: 42,
      };
      const lines = [
        header(1),
        JSON.stringify({ type: 'row', table: 'memories', data: mem }),
        JSON.stringify({ type: 'row', table: 'not_a_table', data: {} }),
        JSON.stringify({ type: 'end', counts: {} }),
      ];
      const r = await importCairn(repo, iterate(lines), { namespace: 'default', checkRow });
      expect(r).toMatchObject({ inserted: { memories: 1 }, droppedColumns: { memories: ['shiny_new_column'] }, unknownTables: ['not_a_table'], rejected: {} });
      expect((await s.app.memory.get('default', 'm1')).content).toBe('from the future');
    } finally {
      await s.close();
    }
  });
});
