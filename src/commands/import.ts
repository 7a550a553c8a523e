import { existsSync } from 'node:fs';
import { createExportRepo } from '../storage/export-repo.js';
import { importCairn, type ImportReport } from '../ops/transfer/import-cairn.js';
import { importServerMemory } from '../ops/transfer/import-server-memory.js';
import { createProgress } from './progress.js';
import { flagValue, printJson, readLines, usage, withCommandApp } from './support.js';
import { COMMON_OPTIONS, type OperatorCommand } from './types.js';

const FORMATS = ['cairn', 'server-memory'] as const;
type Format = (typeof FORMATS)[number];

/** `cairn import FILE [--format cairn|server-memory]`. */
export const importCommand: OperatorCommand = {
  name: 'import',
  usage: 'import FILE [--format]',
  summary: 'Import a Cairn export or a server-memory memory.jsonl.',
  help: `Usage: cairn import FILE [--format cairn|server-memory] [--namespace NAME]

Imports into the namespace (the file's own namespace is ignored). FILE "-" reads stdin.

Formats (detected from the first line when --format is not given):
  cairn          A file written by "cairn export". Ids are kept; rows that already exist are
                 skipped, so importing the same file twice is harmless.
  server-memory  The memory.jsonl of @modelcontextprotocol/server-memory. Each observation
                 becomes a memory "Entity: observation" tagged with the entity's name and type;
                 each relation becomes a fact "From relation To"; links are kept in metadata.

Options:
  --format F        cairn or server-memory (default: detect)
${COMMON_OPTIONS}

Prints a JSON report of rows inserted and skipped per table.
Exit codes: 0 imported, 1 failure (bad or truncated file), 2 bad usage.`,
  async run(config) {
    const file = config.args[0];
    if (!file) return usage('import', 'missing FILE');
    if (config.args.length > 1) return usage('import', `expected one FILE, got ${config.args.length}`);
    if (file !== '-' && !existsSync(file)) return usage('import', `no file at ${file}`);
    const given = flagValue(config, 'format');
    if (given !== undefined && !(FORMATS as readonly string[]).includes(given)) return usage('import', `--format=${JSON.stringify(given)} is invalid; accepted: ${FORMATS.join(', ')}`);
    return withCommandApp(config, async (app) => {
      const { format, lines } = await detect(readLines(file), given as Format | undefined);
      const progress = createProgress(`import (${format})`);
      let report: ImportReport;
      if (format === 'cairn') {
        report = await importCairn(createExportRepo(app.db), lines, { namespace: config.namespace, onProgress: (d) => progress.update(d) });
      } else {
        report = await importServerMemory(app.memory, lines, { namespace: config.namespace, onProgress: (d, t) => progress.update(d, t) });
      }
      const inserted = Object.values(report.inserted).reduce((a, b) => a + b, 0);
      progress.finish(`imported ${inserted} records into namespace "${config.namespace}"`);
      printJson({ namespace: config.namespace, ...report });
      return 0;
    });
  },
};

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
