import { join } from 'node:path';
import { parseArgv } from '../config/argv.js';
import { resolveHome } from '../config/home.js';
import { checkFlags, type FlagSpec, optionsHelp } from './flags.js';
import type { OperatorCommand } from './types.js';

/** Flags of `cairn hook`: the client takes none but `--home`; the others manage the background Cairn. */
const HOOK_FLAGS: FlagSpec[] = [
  { name: 'status', help: 'Print whether the background Cairn of this data folder runs (JSON)' },
  { name: 'stop', help: 'Stop the background Cairn of this data folder' },
  { name: 'daemon', help: 'Run the background Cairn in the foreground (hooks start it themselves)' },
];

/**
 * `cairn hook [EVENT]`: answers a Claude Code hook. Runs as a client of the background Cairn and
 * loads almost nothing; `--daemon`, `--status` and `--stop` manage that background Cairn.
 */
export const hookCommand: OperatorCommand = {
  name: 'hook',
  usage: 'hook [EVENT]',
  summary: 'Answer a Claude Code hook (payload on stdin).',
  help: `Usage: cairn hook [EVENT] [--home DIR]
       cairn hook --status | --stop

Answers a Claude Code hook: reads the hook's JSON payload on stdin and, for SessionStart and
UserPromptSubmit, prints Claude Code's JSON output with the context to add. EVENT is one of
SessionStart, UserPromptSubmit, PostToolUse, PostToolUseFailure, Stop, SessionEnd, PreCompact
(default: the payload's hook_event_name). The .claude-plugin folder wires every event to it.

  SessionStart        the project's context pack (CAIRN_CONTEXT_TOKENS, default 1500 tokens)
  UserPromptSubmit    memories relevant to the prompt (CAIRN_PROMPT_TOKENS, default 600), or nothing
  PostToolUse(Failure) a step of the session's episode (secrets redacted, sizes capped)
  Stop, SessionEnd, PreCompact  the episode completed, a session summary memory stored

A hook never blocks Claude Code: on any failure it exits 0 with no output and logs to
<home>/logs/hooks.log. Hooks are answered by a background Cairn per data folder (started by the
first hook, exits after CAIRN_HOOK_IDLE_SECONDS, default 900, without hooks; its log is
<home>/logs/hook-daemon.log). CAIRN_HOOK_DAEMON=off answers each hook in its own process instead.
CAIRN_CAPTURE=off records nothing. Text inside <private>…</private> is never stored.

Options:
${optionsHelp(HOOK_FLAGS)}

Exit codes: always 0 when answering a hook; --status and --stop: 0, or 1 when no background Cairn runs.`,
  flags: HOOK_FLAGS,
  async run(config) {
    if (config.flags.daemon) return (await import('../hooks/daemon.js')).runHookDaemon(config);
    if (!config.flags.stop && !config.flags.status) {
      process.stderr.write('cairn hook: answering a hook takes its payload on stdin through the hook client; see "cairn hook --help"\n');
      return 2;
    }
    const { controlDaemon } = await import('../hooks/client.js');
    const op = config.flags.stop ? 'stop' : 'status';
    const reply = await controlDaemon(op, config.home, { ...(config.dbUrl ? { CAIRN_DB_URL: config.dbUrl } : {}) });
    const running = reply !== 'unreachable' && reply.ok;
    const status = reply !== 'unreachable' && reply.ok ? (reply.status ?? {}) : {};
    process.stdout.write(`${JSON.stringify(op === 'stop' ? { stopped: running } : { running, ...status }, null, 2)}\n`);
    return running ? 0 : 1;
  },
};

/**
 * The light path of `cairn hook`, taken before the config is resolved: answers the hook and returns
 * 0, or null when the full command should run (`--help`, `--daemon`, `--status`, `--stop`). Bad
 * flags are logged, never reported with a failing exit code: Claude Code treats exit code 2 from a
 * prompt hook as "block this prompt".
 */
export async function runHookClient(argv: string[], env: Record<string, string | undefined>): Promise<number | null> {
  const { command, args, flags } = parseArgv(argv);
  if (command !== 'hook' || flags.help || flags.daemon || flags.status || flags.stop || flags.version) return null;
  const home = resolveHome(env, typeof flags.home === 'string' ? flags.home : undefined);
  const { hookClient } = await import('../hooks/client.js');
  const problem = checkFlags('hook', HOOK_FLAGS, flags);
  if (problem) {
    const { logHookFailure } = await import('../hooks/hook-log.js');
    logHookFailure(join(home, 'logs', 'hooks.log'), `cairn hook: ${problem}`);
    return 0;
  }
  return hookClient(args[0], home, env, { stdin: process.stdin, stdout: process.stdout });
}
