/**
 * Splits argv into a command, positional arguments and `--flag[=value]` flags. A value flag (see
 * {@link VALUE_FLAGS}) takes the next argument unless it looks like a flag; without one it is
 * `true`, which the command reports as a missing value. `-h` is `--help`; any other short option is
 * kept under its own name (`-x`) so it is reported as unknown; `-` alone (stdin) and everything
 * after `--` are positional. Imports nothing, so the `cairn hook` client can use it.
 */
export function parseArgv(argv: string[]): { command: string; args: string[]; flags: Record<string, string | true> } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h') flags.help = true;
    else if (a.length > 1 && a.startsWith('-') && !a.startsWith('--')) flags[a] = true;
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('-') && VALUE_FLAGS.has(a.slice(2))) {
          flags[a.slice(2)] = next;
          i++;
        } else flags[a.slice(2)] = true;
      }
    } else positional.push(a);
  }
  return { command: positional[0] ?? 'serve', args: positional.slice(1), flags };
}

/** Flags that take a value (`--port 8765`); the rest are switches. */
export const VALUE_FLAGS = new Set(['home', 'namespace', 'host', 'port', 'out', 'format', 'tokens', 'limit', 'cursor', 'kind', 'tag', 'reason', 'undo']);
