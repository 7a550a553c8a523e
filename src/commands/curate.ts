import { curationView, runView, undoView } from '../memory/views.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { flagValue, printJson, usage, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const FLAGS: FlagSpec[] = [
  { name: 'dry-run', help: 'Print what would be merged; write nothing' },
  { name: 'undo', value: 'RUN_ID', help: 'Reverse the merges of a run (those memories are never merged again)' },
  { name: 'runs', help: 'List recent runs, newest first' },
  NAMESPACE_FLAG,
];

/** `cairn curate [--dry-run] [--undo RUN_ID] [--runs]`: the curator, now. */
export const curateCommand: OperatorCommand = {
  name: 'curate',
  usage: 'curate [--dry-run|--undo RUN]',
  summary: 'Merge near-duplicate memories and apply decay now (undoable), or undo a run.',
  help: `Usage: cairn curate [--dry-run] [--namespace NAME]
       cairn curate --undo RUN_ID
       cairn curate --runs

Runs the memory curator on the namespace now (servers run it every CAIRN_CURATE_MINUTES, default
60). It merges near-duplicates of one kind into one canonical memory — the same text modulo white
space, case and punctuation, or a restatement: vector similarity at or above
CAIRN_CURATE_SIMILARITY, every word of the shorter text in the longer one, the same names, numbers
and negations — and lowers the rank of memories left unused (decay). Nothing is deleted: merged memories stay readable from their canonical memory
("cairn memories show ID"), and every run is recorded with its rule and scores.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 ok, 1 failure (unknown run, already undone, a later run in the way), 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const undo = flagValue(config, 'undo');
    if (config.flags.undo === true) return usage('curate', '--undo needs a RUN_ID (see "cairn curate --runs")');
    const dryRun = config.flags['dry-run'] === true;
    if (undo && (dryRun || config.flags.runs)) return usage('curate', '--undo cannot be combined with --dry-run or --runs');
    return withCommandApp(config, async (app) => {
      const ns = config.namespace;
      if (config.flags.runs) printJson({ namespace: ns, runs: (await app.curator.runs(ns)).map(runView) });
      else if (undo) printJson(undoView(await app.curator.undo(ns, undo, 'cli')));
      else printJson(curationView(await app.curator.run(ns, { dryRun, actor: 'cli' })));
      return 0;
    });
  },
};
