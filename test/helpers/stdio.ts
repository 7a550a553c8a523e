import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ToolName, ToolOutputs } from './tool-outputs.js';

const ROOT = new URL('../../', import.meta.url);

/** The `cairn` bin as package.json declares it: the bundle `npm run build` makes (tests run after it). */
export const CLI = fileURLToPath(new URL((JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { bin: { cairn: string } }).bin.cairn, ROOT));

/** A test child's environment: its home as HOME and CAIRN_HOME, hashing embeddings, quiet logs, no check-in monitor. */
export function childEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CAIRN_HOME: home,
    CAIRN_EMBEDDINGS: 'hashing',
    CAIRN_LOG_LEVEL: 'warn',
    CAIRN_CHECKIN_MINUTES: '0',
    ...env,
  };
}

/** Spawns `cairn` over stdio with the given CAIRN_HOME and connects an SDK client. */
export async function spawnCairn(
  home: string,
  env: Record<string, string> = {},
): Promise<{ client: Client; transport: StdioClientTransport; stderr: () => string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: childEnv(home, env),
    // Started in its home folder, which is no project: the session has the global namespace alone.
    cwd: home,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: 'cairn-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err };
}

/** Calls a tool and returns its structured content (typed by the tool's output schema), throwing with the error text on failure. */
export async function callOk<N extends ToolName>(client: Client, name: N, args: Record<string, unknown> = {}): Promise<ToolOutputs[N]> {
  const res = await client.callTool({ name, arguments: args });
  if (res.isError) throw new Error(`${name}: ${JSON.stringify(res.content)}`);
  return res.structuredContent as ToolOutputs[N];
}

/**
 * A JSON-RPC message as the server wrote it to stdout (parsed, not validated): a response carries
 * `result` or `error`, a notification `method` and `params`.
 */
export interface RawMessage {
  jsonrpc: string;
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: { isError?: boolean; content?: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> };
  error?: { code: number; message: string; data?: unknown };
}

/** A spawned `cairn` over stdio driven with raw lines, for input the SDK client cannot express. */
export interface RawCairn {
  /** Writes one line (a message object is serialised; a string is written as it is). */
  write(line: string | object): void;
  /** The next message the server writes to stdout (rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<RawMessage>;
  /** Sends `initialize` and `notifications/initialized`. */
  initialize(): Promise<void>;
  /** The child's exit code, or null while it runs. */
  exitCode(): number | null;
  /** Sends a signal to the child and resolves with its exit code (null when a signal ended it). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  stderr(): string;
  close(): Promise<void>;
}

/** Spawns `cairn` over stdio with the given CAIRN_HOME, without an SDK client. */
export function spawnRawCairn(home: string, env: Record<string, string> = {}): RawCairn {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const child = spawn(process.execPath, [CLI], {
    env: childEnv(home, env),
    cwd: home,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const queue: RawMessage[] = [];
  const waiting: Array<(m: RawMessage) => void> = [];
  let buffered = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
      const msg = JSON.parse(buffered.slice(0, i)) as RawMessage;
      buffered = buffered.slice(i + 1);
      const w = waiting.shift();
      if (w) w(msg);
      else queue.push(msg);
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdin.on('error', () => undefined);
  const raw: RawCairn = {
    write(line) {
      child.stdin.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
    },
    next(timeoutMs = 10_000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<RawMessage>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no message from the server within ${timeoutMs} ms (exit code ${child.exitCode}); stderr: ${err.slice(-500)}`)),
          timeoutMs,
        );
        waiting.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
    async initialize() {
      raw.write({
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      });
      const res = await raw.next();
      if (res.id !== 'init' || !res.result) throw new Error(`initialize failed: ${JSON.stringify(res)}`);
      raw.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
    },
    exitCode: () => child.exitCode,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
    stderr: () => err,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
  return raw;
}
