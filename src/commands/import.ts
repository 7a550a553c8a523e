import { existsSync } from 'node:fs';
import { type ImportReport, importCairn, MAX_LISTED } from '../ops/transfer/import-cairn.js';
import { importServerMemory } from '../ops/transfer/import-server-memory.js';
import { checkMemory, checkRow } from '../server/import-rules.js';
import { createExportRepo } from '../storage/export-repo.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { createProgress } from './progress.js';
import { fail, flagValue, printJson, readLines, usage, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FORMATS = ['cairn', 'server-memory'] as const;
type Format = (typeof FORMATS)[number];

const FLAGS: FlagSpec[] = [
  { name: 'format', value: 'F', help: 'cairn or server-memory (default: detect)' },
  { name: 'strict', help: 'Stop at the first refused row (the rows before it stay imported) instead of importing the rest' },
  NAMESPACE_FLAG,
];

/** `cairn import FILE [--format cairn|server-memory] [--strict]`. */
export const importCommand: OperatorCommand = {
  name: 'import',
  usage: 'import FILE [--format] [--strict]',
  summary: 'Import a Cairn export or a server-memory memory.jsonl.',
  help: `Usage: cairn import FILE [--format cairn|server-memory] [--strict] [--namespace NAME]

Imports into the namespace (the file's own namespace is ignored). FILE "-" reads stdin.

Formats (detected from the first line when --format is not given):
  cairn          A file written by "cairn export". Ids are kept; rows that already exist are
                 skipped, so importing the same file twice is harmless.
  server-memory  The memory.jsonl of @modelcontextprotocol/server-memory. Each observation
                 becomes a memory "Entity: observation" tagged with the entity's name and type;
                 each relation becomes a fact "From relation To"; links are kept in metadata.

Every row is checked with the rules the tools apply (the same limits, kinds and JSON shapes as
remember, start_episode, log_step, break_down_task, …), so an import never stores a row that the
tools would refuse or could not read back. A row that breaks them is refused with its line number
and the import carries on with the rest; with --strict it stops at the first one instead.

Options:
${optionsHelp(FLAGS)}

Prints a JSON report: rows inserted, skipped (already there) and rejected per table, and the
refused rows (line, table, id, reason; the first ${MAX_LISTED}).
Exit codes: 0 imported, 1 failure (rows refused, bad or truncated file), 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const file = config.args[0];
    if (!file) return usage('import', 'missing FILE');
    if (config.args.length > 1) return usage('import', `expected one FILE, got ${config.args.length}`);
    if (file !== '-' && !existsSync(file)) return usage('import', `no file at ${file}`);
    const given = flagValue(config, 'format');
    if (given !== undefined && !(FORMATS as readonly string[]).includes(given))
      return usage('import', `--format=${JSON.stringify(given)} is invalid; accepted: ${FORMATS.join(', ')}`);
    return withCommandApp(config, async (app) => {
      const { format, lines } = await detect(readLines(file), given as Format | undefined);
      const progress = createProgress(`import (${format})`);
      const strict = config.flags.strict === true;
      let report: ImportReport;
      if (format === 'cairn') {
        report = await importCairn(createExportRepo(app.db), lines, { namespace: config.namespace, checkRow, strict, onProgress: progress.update });
      } else {
        report = await importServerMemory(app.memory, lines, { namespace: config.namespace, checkMemory, strict, onProgress: progress.update });
      }
      const inserted = Object.values(report.inserted).reduce((a, b) => a + b, 0);
      const rejected = Object.values(report.rejected).reduce((a, b) => a + b, 0);
      progress.finish(`imported ${inserted} records into namespace "${config.namespace}"`);
      printJson(toWire(config.namespace, report));
      if (rejected === 0) return 0;
      const at = report.rejectedRows.map((r) => r.line);
      return fail(
        'import',
        `${rejected} row${rejected === 1 ? '' : 's'} refused (line${at.length === 1 ? '' : 's'} ${at.slice(0, 10).join(', ')}${rejected > 10 ? ', …' : ''}); the rest was imported — see "rejected_rows" in the report`,
      );
    });
  },
};

/** The report as printed: snake_case keys, like every JSON Cairn prints. */
function toWire(namespace: string, r: ImportReport) {
  return {
    namespace,
    format: r.format,
    inserted: r.inserted,
    skipped: r.skipped,
    rejected: r.rejected,
    dropped_columns: r.droppedColumns,
    unknown_tables: r.unknownTables,
    rejected_rows: r.rejectedRows,
  };
}

/** Peeks at the first non-empty line to pick a format, and replays it. */
async function detect(source: AsyncIterable<string>, given: Format | undefined): Promise<{ format: Format; lines: AsyncIterable<string> }> {
  const it = source[Symbol.asyncIterator]();
  const head: string[] = [];
  let first: string | undefined;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    head.push(r.value);
    if (r.value.trim() !== '') {
      first = r.value;
      break;
    }
  }
  let format: Format = given ?? 'cairn';
  if (!given && first) {
    try {
      const type = (JSON.parse(first) as { type?: unknown }).type;
      if (type === 'entity' || type === 'relation') format = 'server-memory';
    } catch {
      /* the importer reports the bad line */
    }
  }
  async function* replay() {
    yield* head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { format, lines: replay() };
}
