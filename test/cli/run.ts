import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, childEnv } from '../helpers/stdio.js';

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment for a CLI run against `home` (hashing embedder, quiet logs, no network). */
export const cliEnv = (home: string, extra: Record<string, string> = {}): Record<string, string> => childEnv(home, { CAIRN_TZ: 'UTC', ...extra });

/** Runs the `cairn` bin (`node dist/cairn.js …args`) to completion (asynchronously, so tests can overlap runs). */
export function cairn(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return finished(spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] }), input ?? '');
}

/** A child's exit code and everything it wrote, once it has closed; `input` (if any) goes to its stdin. */
export function finished(child: ChildProcess, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}
