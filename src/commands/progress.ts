import type { ProgressFn } from '../progress.js';

/** Progress of a long operation, shown on stderr. */
export interface Progress {
  /** Sets the amount done (and the total, when it becomes known): a `ProgressFn`, so any long operation can take it. */
  update: ProgressFn;
  /** Prints the final line. */
  finish(message?: string): void;
}

/** Where and how progress is drawn. */
export interface ProgressOptions {
  /** Default process.stderr. */
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Known total, if any. */
  total?: number;
  /** Milliseconds between redraws (TTY) or lines (otherwise). Default 100 on a TTY, 2000 otherwise. */
  everyMs?: number;
  /** Injected for tests. Default performance.now. */
  now?: () => number;
}

/**
 * A bar redrawn in place when the stream is a terminal, plain `label: done/total (pct%)` lines at
 * most every `everyMs` otherwise (logs, CI, pipes). Never writes to stdout.
 */
export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const every = options.everyMs ?? (tty ? 100 : 2000);
  const now = options.now ?? (() => performance.now());
  let total = options.total;
  let done = 0;
  let last = -Infinity;
  let printed = '';
  const print = (line: string) => {
    printed = line;
    stream.write(line);
  };

  const text = () => {
    const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : null;
    if (!tty) return `${label}: ${done}${total !== undefined ? `/${total}` : ''}${pct !== null ? ` (${pct}%)` : ''}\n`;
    const width = 24;
    const filled = pct === null ? 0 : Math.round((pct / 100) * width);
    const bar = pct === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% `;
    return `\r${label} ${bar}${done}${total !== undefined ? `/${total}` : ''}\x1b[K`;
  };

  return {
    update(n, t) {
      done = n;
      if (t !== undefined) total = t;
      const at = now();
      if (at - last < every) return;
      last = at;
      print(text());
    },
    finish(message) {
      if (tty && printed) stream.write(`${text()}\n`);
      else if (!tty && done > 0 && text() !== printed) print(text());
      if (message) stream.write(`${message}\n`);
    },
  };
}
