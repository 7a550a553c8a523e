import { type BrowseFilter, MEMORY_KINDS, type MemoryKind } from '../memory/types.js';
import { historyView, memoryView } from '../memory/views.js';
import { type FlagSpec, NAMESPACE_FLAG, optionsHelp } from './flags.js';
import { flagValue, printJson, usage, withCommandApp } from './support.js';
import type { OperatorCommand } from './types.js';

const ACTIONS = ['list', 'show', 'forget', 'restore'];

const FLAGS: FlagSpec[] = [
  { name: 'limit', value: 'N', help: 'list: memories per page, 1..1000, default 50' },
  { name: 'cursor', value: 'C', help: 'list: continue after the page that returned C as next_cursor' },
  { name: 'kind', value: 'KIND', help: `list: only this kind (${MEMORY_KINDS.join(', ')})` },
  { name: 'tag', value: 'TAG', help: 'list: only memories carrying this tag' },
  { name: 'all', help: 'list: include superseded and merged memories' },
  { name: 'reason', value: 'TEXT', help: 'forget: why (kept in the history)' },
  NAMESPACE_FLAG,
];

/** `cairn memories list|show|forget|restore`: browse and correct what Cairn remembers. */
export const memoriesCommand: OperatorCommand = {
  name: 'memories',
  usage: 'memories list|show|forget|restore',
  summary: 'List memories newest first, show one with its history, forget or restore one.',
  help: `Usage: cairn memories list [--limit N] [--cursor C] [--kind KIND] [--tag TAG] [--all]
       cairn memories show ID
       cairn memories forget ID [--reason TEXT]
       cairn memories restore ID

  list      Memories of the namespace newest first, as JSON {memories, next_cursor}; pass
            next_cursor back with --cursor for the next page. --all includes superseded and
            merged memories (forgotten ones are shown by "show" only).
  show      One memory in any state with what it superseded or absorbed (in full), what
            replaced it, and its history: the same data as the cairn://memories/{id} resource.
  forget    Hide a memory (kept; recorded with --reason).
  restore   Bring back a forgotten, superseded or merged memory.

Options:
${optionsHelp(FLAGS)}

Exit codes: 0 ok, 1 failure (unknown id, nothing to restore), 2 bad usage.`,
  flags: FLAGS,
  async run(config) {
    const [action, id] = config.args;
    if (!action || !ACTIONS.includes(action))
      return usage('memories', action ? `unknown action "${action}"; accepted: ${ACTIONS.join(', ')}` : `missing action (${ACTIONS.join(', ')})`);
    if (action !== 'list' && !id) return usage('memories', `${action} needs a memory ID`);
    const filter: BrowseFilter = {};
    let limit = 50;
    if (action === 'list') {
      const raw = flagValue(config, 'limit');
      limit = raw === undefined ? 50 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage('memories', `--limit must be an integer 1..1000, got ${JSON.stringify(raw)}`);
      const kind = flagValue(config, 'kind');
      if (kind !== undefined && !(MEMORY_KINDS as readonly string[]).includes(kind))
        return usage('memories', `--kind must be one of ${MEMORY_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
      if (kind) filter.kinds = [kind as MemoryKind];
      const tag = flagValue(config, 'tag');
      if (tag) filter.tags = [tag];
      if (config.flags.all === true) filter.includeHidden = true;
    }
    return withCommandApp(config, async (app) => {
      const ns = config.namespace;
      if (action === 'list') {
        const cursor = flagValue(config, 'cursor');
        const page = await app.memory.browse(ns, filter, { limit, ...(cursor !== undefined ? { cursor } : {}) });
        printJson({ namespace: ns, memories: page.memories.map(memoryView), next_cursor: page.nextCursor });
      } else if (action === 'show') {
        printJson(historyView(await app.memory.history(ns, id!)));
      } else if (action === 'forget') {
        await app.memory.forget(ns, id!, flagValue(config, 'reason'), 'cli');
        printJson({ id, status: 'forgotten' });
      } else {
        const out = await app.memory.restore(ns, id!, 'cli');
        printJson({ id, status: 'restored', was: out.was });
      }
      return 0;
    });
  },
};
