import type { ProgressFn } from '../../progress.js';
import type { ExportRepo } from '../../storage/export-repo.js';
import { EXPORT_FORMAT_VERSION, type ExportHeader, type Sink, writeLine } from './format.js';

/** Options of {@link exportNamespace}. */
export interface ExportOptions {
  namespace: string;
  cairnVersion: string;
  /** Export time, epoch ms. */
  now: number;
  /** Rows read per query. Default 500. */
  pageSize?: number;
  /** Called after each page with rows written so far and the total. */
  onProgress?: ProgressFn;
}

/**
 * Streams every row of a namespace as JSONL — a header, one line per row of every namespaced
 * table (memories including forgotten ones, episodes, steps, patterns, ADHD records, …), and an
 * end line with counts — paging through the database so memory use stays flat.
 */
export async function exportNamespace(repo: ExportRepo, sink: Sink, opts: ExportOptions): Promise<Record<string, number>> {
  const tables = await repo.tables();
  const pageSize = opts.pageSize ?? 500;
  const totals = await Promise.all(tables.map((t) => repo.count(t.name, opts.namespace)));
  const total = totals.reduce((a, b) => a + b, 0);
  const header: ExportHeader = {
    type: 'cairn-export',
    format_version: EXPORT_FORMAT_VERSION,
    cairn_version: opts.cairnVersion,
    schema_version: await repo.schemaVersion(),
    namespace: opts.namespace,
    exported_at: new Date(opts.now).toISOString(),
    tables: tables.map((t) => t.name),
  };
  await writeLine(sink, header);
  const counts: Record<string, number> = {};
  let done = 0;
  for (const table of tables) {
    counts[table.name] = 0;
    for (let after = 0; ; ) {
      const { rows, lastRowid } = await repo.page(table, opts.namespace, after, pageSize);
      for (const data of rows) await writeLine(sink, { type: 'row', table: table.name, data });
      counts[table.name]! += rows.length;
      done += rows.length;
      opts.onProgress?.(done, Math.max(total, done));
      if (rows.length < pageSize) break;
      after = lastRowid;
    }
  }
  await writeLine(sink, { type: 'end', counts });
  return counts;
}
