import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data folder: `--home`, else `CAIRN_HOME`, else `$XDG_DATA_HOME/cairn`, else
 * `~/.local/share/cairn`, as an absolute path. Imports only node built-ins, so the `cairn hook`
 * client finds the folder without loading the config schema.
 */
export function resolveHome(env: Record<string, string | undefined>, flagHome?: string): string {
  const fromEnv = env.CAIRN_HOME === '' ? undefined : env.CAIRN_HOME;
  return resolve(flagHome ?? fromEnv ?? join(env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share'), 'cairn'));
}
