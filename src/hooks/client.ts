import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { VERSION } from '../version.js';
import { CAPTURE_EVENTS, CLIENT_DEADLINE_MS, isHookEvent } from './events.js';
import { logHookFailure, rotate } from './hook-log.js';
import { type DaemonPaths, daemonPaths, defaultDbUrl } from './socket.js';
import { spoolHook } from './spool.js';
import { hookEnv, readLine, WIRE_VERSION, type WireReply, type WireRequest } from './wire.js';

/** What the hook client works with; tests and the in-process path pass their own. */
export interface HookClientIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream;
  /** The CLI script the background Cairn is started from. Default `process.argv[1]`. */
  script?: string;
}

/** Largest payload read from stdin; a larger one is dropped (and logged). */
const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
/** Pause between attempts to reach a background Cairn that is starting. */
const RETRY_MS = 25;

/**
 * `cairn hook [EVENT]` as Claude Code runs it: reads the payload on stdin, has the background Cairn
 * of the data folder answer it (starting one when none runs), and prints Claude Code's JSON output
 * when there is context to add. It never blocks the client: every failure is logged to
 * `<home>/logs/hooks.log` and the process exits 0 with no output. A capture event no Cairn could
 * take is spooled for the next one. Loads only node built-ins and small modules.
 */
export async function hookClient(eventArg: string | undefined, home: string, env: Record<string, string | undefined>, io: HookClientIo): Promise<number> {
  const paths = daemonPaths(home, env.CAIRN_DB_URL || defaultDbUrl(home));
  let event: string | undefined = eventArg;
  try {
    if (io.stdin.isTTY) {
      process.stderr.write('cairn hook reads a Claude Code hook payload (JSON) on stdin; see "cairn hook --help"\n');
      return 0;
    }
    const payload = await readAll(io.stdin);
    event ??= eventOf(payload);
    if (event === undefined || !isHookEvent(event)) {
      logHookFailure(paths.clientLog, 'unknown hook event; nothing done', {
        event: event ?? null,
        accepted: 'SessionStart, UserPromptSubmit, PostToolUse, PostToolUseFailure, Stop, SessionEnd, PreCompact',
      });
      return 0;
    }
    if (CAPTURE_EVENTS.has(event) && ['off', '0', 'false'].includes(env.CAIRN_CAPTURE ?? '')) return 0;
    const forwarded = hookEnv({ ...env, CAIRN_HOME: home });
    if (env.CAIRN_HOOK_DAEMON === 'off') {
      const { handleInProcess } = await import('./in-process.js');
      return write(io, await handleInProcess(event, payload, forwarded, paths.clientLog));
    }
    const request: WireRequest = { v: WIRE_VERSION, version: VERSION, op: 'hook', event, env: forwarded, payload };
    const reply = await ask(paths, request, CLIENT_DEADLINE_MS[event], { env: forwarded, home, script: io.script ?? process.argv[1] ?? '' });
    if (reply === 'unreachable') {
      if (CAPTURE_EVENTS.has(event)) spoolHook(paths.spool, { event, env: forwarded, payload, at: Date.now() });
      return 0;
    }
    if (reply === 'late') {
      logHookFailure(paths.clientLog, 'no answer in time; the prompt goes on without it', { event, wait_ms: CLIENT_DEADLINE_MS[event] });
      return 0;
    }
    if (!reply.ok) {
      if (reply.unavailable) {
        // The background Cairn spooled a capture event itself before answering.
        logHookFailure(paths.clientLog, 'the background Cairn could not start; see hook-daemon.log', { event, error: reply.error, log: paths.log });
      } else logHookFailure(paths.clientLog, 'hook failed', { event, error: reply.error });
      return 0;
    }
    return write(io, reply.output ?? null);
  } catch (err) {
    logHookFailure(paths.clientLog, 'hook failed', { event: event ?? null, error: err instanceof Error ? err.message : String(err) });
    return 0;
  }
}

/** Sends a status or stop request; 'unreachable' when no background Cairn runs. */
export async function controlDaemon(op: 'status' | 'stop', home: string, env: Record<string, string | undefined>): Promise<WireReply | 'unreachable'> {
  const paths = daemonPaths(home, env.CAIRN_DB_URL || defaultDbUrl(home));
  const socket = await tryConnect(paths.socket);
  if (!socket) return 'unreachable';
  return exchange(socket, { v: WIRE_VERSION, version: VERSION, op }, 5_000).then((r) => (r === 'late' ? { ok: false as const, error: 'no answer' } : r));
}

function write(io: HookClientIo, output: unknown): number {
  if (output !== null && output !== undefined) io.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}

/** The event named by the payload (`hook_event_name`), when the command line names none. */
function eventOf(payload: string): string | undefined {
  try {
    const name = (JSON.parse(payload) as { hook_event_name?: unknown }).hook_event_name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > MAX_PAYLOAD_BYTES) throw new Error(`payload larger than ${MAX_PAYLOAD_BYTES} bytes; ignored`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Asks the background Cairn, starting it when none listens and retrying until it does or the
 * deadline passes. 'unreachable' when the request could not be delivered; 'late' when it was but
 * the answer did not come in time (the Cairn still records it).
 */
async function ask(
  paths: DaemonPaths,
  request: WireRequest,
  deadlineMs: number,
  start: { env: Record<string, string>; home: string; script: string },
): Promise<WireReply | 'unreachable' | 'late'> {
  const until = Date.now() + deadlineMs;
  let socket = await tryConnect(paths.socket);
  let child: ChildProcess | undefined;
  let exited = false;
  while (!socket) {
    if (!child) {
      child = await startDaemon(paths, start);
      child.once('exit', () => {
        exited = true;
      });
    }
    if (Date.now() + RETRY_MS >= until) return 'unreachable';
    await new Promise((r) => setTimeout(r, RETRY_MS));
    socket = await tryConnect(paths.socket);
    // A Cairn that exited 0 gave way to one already starting; one that failed says why in logs/hook-daemon.log.
    if (!socket && exited && child.exitCode !== 0) {
      socket = await tryConnect(paths.socket);
      if (!socket) {
        logHookFailure(paths.clientLog, 'the background Cairn could not start; see hook-daemon.log', { log: paths.log, exit_code: child.exitCode });
        return 'unreachable';
      }
    }
  }
  return exchange(socket, request, Math.max(1, until - Date.now()));
}

/** Writes one request and reads one reply, within `ms`. */
function exchange(socket: Socket, request: WireRequest, ms: number): Promise<WireReply | 'late'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('late');
    }, ms);
    readLine(socket).then(
      (line) => {
        clearTimeout(timer);
        socket.end();
        try {
          resolve(JSON.parse(line) as WireReply);
        } catch {
          resolve({ ok: false, error: 'unreadable answer' });
        }
      },
      (err: Error) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ ok: false, error: err.message });
      },
    );
    socket.write(`${JSON.stringify(request)}\n`);
  });
}

/** A connected socket, or null when nothing listens there. */
function tryConnect(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', () => resolve(null));
  });
}

/** Starts `cairn hook --daemon` detached, its stderr appended to the daemon log (child_process loads only when needed). */
async function startDaemon(paths: DaemonPaths, start: { env: Record<string, string>; home: string; script: string }): Promise<ChildProcess> {
  const { spawn } = await import('node:child_process');
  let fd: number | 'ignore' = 'ignore';
  try {
    mkdirSync(dirname(paths.log), { recursive: true });
    rotate(paths.log, 5 * 1024 * 1024);
    fd = openSync(paths.log, 'a');
  } catch {
    /* an unwritable home: the daemon will fail and say so nowhere; the client logs that it exited */
  }
  const child = spawn(process.execPath, [start.script, 'hook', '--daemon', '--home', start.home], {
    detached: true,
    stdio: ['ignore', 'ignore', fd],
    env: { ...process.env, ...start.env },
    windowsHide: true,
  });
  child.on('error', () => undefined);
  child.unref();
  if (typeof fd === 'number') closeSync(fd);
  return child;
}
