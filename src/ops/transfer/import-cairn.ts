import { CairnError } from '../../errors.js';
import type { ProgressFn } from '../../progress.js';
import type { ExportRepo, ExportRow, TableInfo } from '../../storage/export-repo.js';
import { EXPORT_FORMAT_VERSION, type ExportHeader, type ExportLine } from './format.js';

/** What an import did, per table. */
export interface ImportReport {
  format: 'cairn' | 'server-memory';
  /** Rows (or memories) written, per table. */
  inserted: Record<string, number>;
  /** Rows already present (same id or an identical live memory), per table. */
  skipped: Record<string, number>;
  /** Columns in the file that this database does not have (dropped), per table. */
  droppedColumns: Record<string, string[]>;
  /** Tables in the file that this database does not have (their rows were skipped). */
  unknownTables: string[];
  /** Rows refused because a value breaks the rules the tools apply (or the line is not a row), per table. */
  rejected: Record<string, number>;
  /** The first {@link MAX_LISTED} refused rows: line number, table, id and what is wrong. */
  rejectedRows: RejectedRow[];
}

/** One refused line of an import file. */
export interface RejectedRow {
  line: number;
  table: string | null;
  id: string | null;
  reason: string;
}

/** Refused rows listed one by one in a report (all are counted). */
export const MAX_LISTED = 100;

/** Options of {@link importCairn}. */
export interface ImportOptions {
  /** Namespace to import into (the file's own namespace is not used). */
  namespace: string;
  /**
   * The rules a row must pass (the tools' rules, from src/server/import-rules.ts): null when the
   * row of `table` passes, else one line naming the bad column.
   */
  checkRow: (table: string, data: Record<string, unknown>) => string | null;
  /** Rows per atomic batch. Default 200. */
  batchSize?: number;
  /** Called as rows are written, with rows processed so far. */
  onProgress?: ProgressFn;
  /**
   * Stop at the first refused row (throwing `INVALID_INPUT` with its line) instead of importing the
   * rest. Rows before it stay imported. Default false: refused rows are counted and listed.
   */
  strict?: boolean;
}

/**
 * Imports a Cairn JSONL export (from {@link exportNamespace}) into a namespace, in batches of
 * `batchSize` rows, each atomic. Ids are kept, so importing the same file again skips what is
 * already there. Every row is checked with the tools' rules first (`opts.checkRow`): a row that
 * breaks them — or a line that is not a row — is refused with its line number and the rest is
 * imported (or, with `strict`, the import stops there). Refuses a file from a newer schema and
 * reports a file without its end line (truncated) after importing what it holds.
 */
export async function importCairn(repo: ExportRepo, lines: AsyncIterable<string>, opts: ImportOptions): Promise<ImportReport> {
  const batchSize = opts.batchSize ?? 200;
  const tables = new Map((await repo.tables()).map((t) => [t.name, t]));
  const schema = await repo.schemaVersion();
  // Table names come from the file: null-prototype records hold "constructor" or "__proto__" as plain keys.
  const report: ImportReport = {
    format: 'cairn',
    inserted: Object.create(null),
    skipped: Object.create(null),
    droppedColumns: Object.create(null),
    unknownTables: [],
    rejected: Object.create(null),
    rejectedRows: [],
  };
  let header: ExportHeader | undefined;
  let ended = false;
  let lineNo = 0;
  let done = 0;
  let batch: { table: TableInfo; rows: ExportRow[] } | undefined;

  const flush = async () => {
    if (!batch || batch.rows.length === 0) return;
    const { table, rows } = batch;
    const r = await repo.insert(table, opts.namespace, rows);
    report.inserted[table.name] = (report.inserted[table.name] ?? 0) + r.inserted;
    report.skipped[table.name] = (report.skipped[table.name] ?? 0) + r.skipped;
    if (r.droppedColumns.length) report.droppedColumns[table.name] = [...new Set([...(report.droppedColumns[table.name] ?? []), ...r.droppedColumns])];
    done += rows.length;
    opts.onProgress?.(done);
    batch = undefined;
  };

  const reject = async (line: number, table: string | null, data: Record<string, unknown> | null, reason: string) => {
    const id = data && (data.id ?? data.item_id ?? data.episode_id) !== undefined ? String(data.id ?? data.item_id ?? data.episode_id) : null;
    if (opts.strict) {
      await flush();
      throw new CairnError(
        'INVALID_INPUT',
        `line ${line}${table ? ` (${table}${id ? ` ${id}` : ''})` : ''}: ${reason}; stopped there (--strict): the rows before it were imported`,
      );
    }
    const key = table ?? '(not a row)';
    report.rejected[key] = (report.rejected[key] ?? 0) + 1;
    if (report.rejectedRows.length < MAX_LISTED) report.rejectedRows.push({ line, table, id, reason });
  };

  for await (const text of lines) {
    lineNo++;
    if (text.trim() === '') continue;
    let line: ExportLine;
    try {
      line = JSON.parse(text) as ExportLine;
    } catch {
      if (!header) throw new CairnError('INVALID_INPUT', `line ${lineNo}: not valid JSON; a Cairn export has one JSON object per line`);
      await reject(lineNo, null, null, 'not valid JSON; a Cairn export has one JSON object per line');
      continue;
    }
    if (line === null || typeof line !== 'object') {
      if (!header) throw new CairnError('INVALID_INPUT', 'line 1: not a Cairn export (expected {"type":"cairn-export",…})');
      await reject(lineNo, null, null, 'expected {"type":"row","table":…,"data":{…}} or the end line');
      continue;
    }
    if (!header) {
      header = checkHeader(line, schema);
      continue;
    }
    if (ended) throw new CairnError('INVALID_INPUT', `line ${lineNo}: content after the end line`);
    if (line.type === 'end') {
      ended = true;
      continue;
    }
    if (line.type !== 'row' || typeof line.table !== 'string' || typeof line.data !== 'object' || line.data === null || Array.isArray(line.data)) {
      await reject(lineNo, null, null, 'expected {"type":"row","table":…,"data":{…}} or the end line');
      continue;
    }
    const table = tables.get(line.table);
    if (!table) {
      if (!report.unknownTables.includes(line.table)) report.unknownTables.push(line.table);
      report.skipped[line.table] = (report.skipped[line.table] ?? 0) + 1;
      continue;
    }
    const problem = opts.checkRow(table.name, line.data);
    if (problem) {
      await reject(lineNo, table.name, line.data, problem);
      continue;
    }
    if (batch && batch.table !== table) await flush();
    batch ??= { table, rows: [] };
    batch.rows.push(line.data);
    if (batch.rows.length >= batchSize) await flush();
  }
  await flush();
  if (!header) throw new CairnError('INVALID_INPUT', 'the file is empty; expected a Cairn export (first line {"type":"cairn-export",…})');
  if (!ended) {
    throw new CairnError(
      'INVALID_INPUT',
      `the file ends without its end line, so it is probably truncated; the ${done} rows it held were imported (importing a complete file later skips them)`,
      {
        details: { inserted: report.inserted },
      },
    );
  }
  return report;
}

function checkHeader(line: ExportLine, schema: number): ExportHeader {
  if (line.type !== 'cairn-export') {
    throw new CairnError(
      'INVALID_INPUT',
      'line 1: not a Cairn export (expected {"type":"cairn-export",…}); for a server-memory memory.jsonl use --format server-memory',
    );
  }
  if (line.format_version > EXPORT_FORMAT_VERSION) {
    throw new CairnError(
      'INVALID_INPUT',
      `export format ${line.format_version} is newer than this Cairn understands (${EXPORT_FORMAT_VERSION}); upgrade cairn-mcp`,
    );
  }
  if (line.schema_version > schema) {
    throw new CairnError(
      'STORE_NEWER_THAN_CODE',
      `the export comes from schema version ${line.schema_version} but this database is at ${schema}; upgrade cairn-mcp before importing`,
    );
  }
  return line;
}
