import { exportNamespace } from '../ops/transfer/export.js';
import { isClosedOutput } from '../ops/transfer/format.js';
import { createExportRepo } from '../storage/export-repo.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { createProgress } from './progress.js';
import { atomicFileSink, flagValue, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [{ name: 'out', value: 'FILE', help: 'Write to FILE (via FILE.partial, renamed when complete); default stdout' }, NAMESPACE_FLAG];

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

When stdout is a pipe whose reader stops early ("cairn export | head"), the export stops quietly
with exit code 0: the reader asked for no more. Such output has no end line, so "cairn import"
reports it as truncated.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 written (or the reader of stdout closed it), 1 failure, 2 bad usage.`,
  flags: FLAGS,
  run: (config) =>
    withCommandApp(config, async (app) => {
      const out = flagValue(config, 'out');
      const progress = createProgress('export');
      const repo = createExportRepo(app.db);
      const opts = { namespace: config.namespace, cairnVersion: app.version, now: app.clock.now(), onProgress: progress.update };
      if (!out) {
        // Without a listener, EPIPE from a closed pipe is an uncaught 'error' event that kills the
        // process with a stack trace; the export learns of it from the next write instead. The
        // listener stays: output still buffered at exit can fail the same way.
        process.stdout.on('error', () => undefined);
        try {
          const counts = await exportNamespace(repo, process.stdout, opts);
          progress.finish(`exported ${sum(counts)} rows from namespace "${config.namespace}"`);
          return 0;
        } catch (err) {
          if (isClosedOutput(err)) return 0;
          throw err;
        }
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
