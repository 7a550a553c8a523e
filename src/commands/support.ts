import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type App, createApp } from '../app.js';
import type { Config } from '../config/index.js';
import { createLogger } from '../logger.js';

/**
 * Opens the app for a one-shot command — no check-in monitor or curator, warnings only on stderr unless the
 * user asked for more — runs `fn` and always closes it.
 */
export async function withCommandApp(config: Config, fn: (app: App) => Promise<number>): Promise<number> {
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  const app = await createApp({ ...config, checkInMinutes: 0, curateMinutes: 0 }, { logger: createLogger(level) });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Prints a usage error for `command` and returns exit code 2. */
export function usage(command: string, message: string): number {
  process.stderr.write(`cairn ${command}: ${message}; run "cairn ${command} --help"\n`);
  return 2;
}

/** Prints a failure for `command` and returns exit code 1. */
export function fail(command: string, message: string): number {
  process.stderr.write(`cairn ${command}: ${message}\n`);
  return 1;
}

/** Writes a value as pretty JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A string flag's value, or undefined (a bare `--flag` counts as missing). */
export function flagValue(config: Config, name: string): string | undefined {
  const v = config.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Lines of a file, or of stdin for `-`, streamed. */
export function readLines(path: string): AsyncIterable<string> {
  const input = path === '-' ? process.stdin : createReadStream(path, { encoding: 'utf8' });
  return createInterface({ input, crlfDelay: Infinity });
}

/**
 * A file sink written to `<path>.partial` and renamed into place by `commit()`, so an interrupted
 * export never leaves a file that looks complete; `abort()` removes the partial file.
 */
export function atomicFileSink(path: string) {
  const partial = `${path}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  const closed = () => new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return {
    stream,
    async commit() {
      await closed();
      renameSync(partial, path);
    },
    async abort() {
      await closed().catch(() => undefined);
      rmSync(partial, { force: true });
    },
  };
}
