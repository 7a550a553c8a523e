import { createExportRepo } from '../storage/export-repo.js';
import { exportNamespace } from '../ops/transfer/export.js';
import { createProgress } from './progress.js';
import { atomicFileSink, flagValue, withCommandApp } from './support.js';
import { COMMON_OPTIONS, type OperatorCommand } from './types.js';

/** `cairn export [--out FILE]`: the whole namespace as JSONL. */
export const exportCommand: OperatorCommand = {
  name: 'export',
  usage: 'export [--out FILE]',
  summary: 'Stream everything in the namespace as JSONL (stdout by default).',
  help: `Usage: cairn export [--out FILE] [--namespace NAME]

Writes every record of one namespace as JSON Lines: a header line, one line per row of every
table (memories including forgotten ones, episodes and their steps, patterns, ADHD tasks, energy,
focus sessions, breaks and check-ins), and an end line with counts. Rows are read in pages, so
memory use stays flat for any size. Import the file with "cairn import FILE".

Options:
  --out FILE        Write to FILE (via FILE.partial, renamed when complete); default stdout
${COMMON_OPTIONS}

Exit codes: 0 written, 1 failure, 2 bad usage.`,
  run: (config) =>
    withCommandApp(config, async (app) => {
      const out = flagValue(config, 'out');
      const progress = createProgress('export');
      const repo = createExportRepo(app.db);
      const opts = { namespace: config.namespace, cairnVersion: app.version, now: app.clock.now(), onProgress: (d: number, t: number) => progress.update(d, t) };
      if (!out) {
        const counts = await exportNamespace(repo, process.stdout, opts);
        progress.finish(`exported ${sum(counts)} rows from namespace "${config.namespace}"`);
        return 0;
      }
      const sink = atomicFileSink(out);
      try {
        const counts = await exportNamespace(repo, sink.stream, opts);
        await sink.commit();
        progress.finish(`exported ${sum(counts)} rows from namespace "${config.namespace}" to ${out} (${describe(counts)})`);
        return 0;
      } catch (err) {
        await sink.abort();
        throw err;
      }
    }),
};

const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const describe = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ') || 'empty';
