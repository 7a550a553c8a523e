import type { Config } from '../config/index.js';
import type { FlagSpec } from './flags.js';

/** An operator command of the `cairn` CLI. */
export interface OperatorCommand {
  /** What follows `cairn` (`serve-http` is reached through `cairn serve --http`). */
  name: string;
  /** Synopsis for `cairn help`, e.g. `export [--out FILE]`. */
  usage: string;
  /** One line for `cairn help`. */
  summary: string;
  /** Full text for `cairn <name> --help`; its Options are `optionsHelp(flags)`. */
  help: string;
  /**
   * Flags it accepts besides `--home`, `--help` and `--version`; any other flag is refused with
   * exit code 2 before it runs.
   */
  flags: FlagSpec[];
  /** Runs with the resolved config; resolves to the exit code (0 ok, 1 failure, 2 bad usage). */
  run(config: Config): Promise<number>;
}
