import { editDistance as distance } from '../edit-distance.js';

/** A flag a command accepts. */
export interface FlagSpec {
  /** Without the dashes: `out` for `--out`. */
  name: string;
  /** Placeholder of its value in help (`FILE` → `--out FILE`); absent for a switch such as `--force`. */
  value?: string;
  /** One line for the command's help. */
  help: string;
}

/** Flags every command accepts. */
export const COMMON_FLAGS: FlagSpec[] = [
  { name: 'home', value: 'DIR', help: 'Data folder (CAIRN_HOME)' },
  { name: 'help', help: 'Show this help' },
  { name: 'version', help: 'Print the version' },
];

/** `--namespace`, declared by the commands that work on one namespace. */
export const NAMESPACE_FLAG: FlagSpec = { name: 'namespace', value: 'NAME', help: 'Namespace to work on (CAIRN_NAMESPACE), default "default"' };

/** Flags of `cairn serve` on stdio (the default command). */
export const SERVE_FLAGS: FlagSpec[] = [
  { name: 'http', help: 'Serve over HTTP instead (see "cairn serve --http --help")' },
  { ...NAMESPACE_FLAG, help: 'Namespace of the session (CAIRN_NAMESPACE), default "default"' },
];

/** The `Options:` lines of a command's help: its own flags, then the common ones. */
export function optionsHelp(flags: FlagSpec[]): string {
  return [...flags, ...COMMON_FLAGS.filter((c) => c.name === 'home')]
    .map((f) => `${`  --${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(20)}${wrap(f.help, 76).join(`\n${' '.repeat(20)}`)}`)
    .join('\n');
}

/**
 * Checks the flags given to `command` against what it declares plus the common ones. Returns a message for the first problem — an unknown flag, a value
 * flag without its value, a switch given a value — or null when every flag is accepted.
 */
export function checkFlags(command: string, declared: FlagSpec[], given: Record<string, string | true>): string | null {
  const accepted = [...declared, ...COMMON_FLAGS];
  for (const [name, value] of Object.entries(given)) {
    const spec = accepted.find((f) => f.name === name);
    const shown = name.startsWith('-') ? name : `--${name}`;
    if (!spec) {
      if (name === 'namespace') return `--namespace does not apply to "${command}": it works on every namespace`;
      const near = closest(
        name,
        accepted.map((f) => f.name),
      );
      return `unknown flag ${shown}${near ? ` (did you mean --${near}?)` : ''}; accepted: ${accepted.map(describe).join(', ')}`;
    }
    if (spec.value && (value === true || value === '')) return `--${name} needs a value (--${name} ${spec.value})`;
    if (!spec.value && value !== true) return `--${name} takes no value (got --${name}=${value})`;
  }
  return null;
}

/** Splits text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const describe = (f: FlagSpec) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;

/** The accepted name within two edits of `name`, if exactly one is closest. */
function closest(name: string, names: string[]): string | null {
  const bare = name.replace(/^-+/, '');
  let best: string | null = null;
  let bestDistance = 3;
  for (const n of names) {
    const d = distance(bare, n);
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}
