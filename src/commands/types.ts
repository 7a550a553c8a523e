import type { Config } from '../config/index.js';

/** An operator command of the `cairn` CLI. */
export interface OperatorCommand {
  /** What follows `cairn` (`serve-http` is reached through `cairn serve --http`). */
  name: string;
  /** Synopsis for `cairn help`, e.g. `export [--out FILE]`. */
  usage: string;
  /** One line for `cairn help`. */
  summary: string;
  /** Full text for `cairn <name> --help`. */
  help: string;
  /** Runs with the resolved config; resolves to the exit code (0 ok, 1 failure, 2 bad usage). */
  run(config: Config): Promise<number>;
}

/** Options shared by every command's help text. */
export const COMMON_OPTIONS = `  --home DIR        Data folder (CAIRN_HOME)
  --namespace NAME  Namespace to work on (CAIRN_NAMESPACE), default "default"`;
