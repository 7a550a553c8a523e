import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { type App, createApp } from '../app.js';
import { type Config, resolveConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { registerInstance } from '../ops/instances.js';
import { VERSION } from '../version.js';
import { claimDaemon } from './daemon-claim.js';
import { CAPTURE_EVENTS, isHookEvent } from './events.js';
import { createHookHandler, type HookHandler } from './handler.js';
import { daemonPaths } from './socket.js';
import { spoolHook, takeSpooled } from './spool.js';
import { readLine, WIRE_VERSION, type WireReply, type WireRequest } from './wire.js';

/** How long a stopping background Cairn waits for the connections it is serving. */
const SERVING_GRACE_MS = 3_000;

/**
 * The background Cairn that answers `cairn hook` for one data folder: it keeps the database open
 * and the namespaces' indexes loaded, so a prompt's memories come back in milliseconds instead of
 * the seconds a new process needs. Started by the first hook that finds none, it listens on a Unix
 * socket (a named pipe on Windows) at once and opens the database behind it (early requests wait),
 * answers one request per connection, records the events spooled while it was away, and exits
 * after `CAIRN_HOOK_IDLE_SECONDS` without a request (or on `cairn hook --stop`, SIGTERM, or a
 * request from another Cairn version, once answered). Resolves with the exit code once stopped:
 * 0, or 1 when the database could not be opened.
 */
export async function runHookDaemon(config: Config): Promise<number> {
  const paths = daemonPaths(config.home, config.dbUrl);
  if (!(await claimDaemon(paths))) return 0;
  const bootLogger = createLogger(config.logLevel).child({ component: 'hook-daemon' });
  const startedAt = Date.now();
  const queues = new Map<string, Promise<unknown>>();
  let served = 0;
  let release: () => void = () => undefined;

  const opening = (async () => {
    const app = await createApp(config);
    app.embeddings.start();
    release = registerInstance(config.home, 'hooks');
    const logger = app.logger.child({ component: 'hook-daemon' });
    return { app, logger, handler: createHookHandler({ memory: app.memory, episodes: app.episodes, context: app.context, logger }) };
  })();
  opening.catch(() => undefined);

  /** Runs work for one Claude Code session after the work before it, so its steps keep their order. */
  const inSession = <T>(session: string, work: () => Promise<T>): Promise<T> => {
    const next = (queues.get(session) ?? Promise.resolve()).then(work, work);
    const tail = next.catch(() => undefined);
    queues.set(session, tail);
    void tail.then(() => {
      if (queues.get(session) === tail) queues.delete(session);
    });
    return next;
  };

  const answer = async (open: { handler: HookHandler; logger: App['logger'] }, event: string, env: Record<string, string>, raw: string): Promise<unknown> => {
    if (!isHookEvent(event)) throw new Error(`unknown hook event ${JSON.stringify(event)}`);
    const payload = JSON.parse(raw) as { session_id?: unknown };
    const requestConfig = resolveConfig(env, ['hook', event]);
    const session = typeof payload.session_id === 'string' ? payload.session_id : '';
    const reply = await inSession(session, () => open.handler.handle({ event, payload, config: requestConfig }));
    if (reply.after) void inSession(session, reply.after).catch((err: unknown) => open.logger.error('hook follow-up failed', { event, err }));
    return reply.output;
  };

  let draining: Promise<void> | undefined;
  const drainSpool = (open: { handler: HookHandler; logger: App['logger'] }) =>
    (draining ??= (async () => {
      const { hooks, done } = takeSpooled(paths.spool);
      for (const h of hooks)
        await answer(open, h.event, h.env, h.payload).catch((err: unknown) => open.logger.error('spooled hook failed', { event: h.event, err }));
      done();
      if (hooks.length) open.logger.info('recorded spooled hooks', { count: hooks.length });
    })().finally(() => {
      draining = undefined;
    }));

  let idle: NodeJS.Timeout | undefined;
  let stopping: Promise<number> | undefined;
  let stopped!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    stopped = resolve;
  });
  // Connections being served: a stop lets them finish (a capture event is then recorded or
  // spooled), since their clients may have given up waiting and will not spool it themselves.
  const serving = new Set<Promise<void>>();
  const server = createServer((socket) => {
    const work = serve(socket);
    serving.add(work);
    const forget = () => serving.delete(work);
    work.then(forget, forget);
  });
  const stop = (why: string, code = 0) =>
    (stopping ??= (async () => {
      clearTimeout(idle);
      bootLogger.info('background Cairn stopping', { why, served });
      server.close();
      await Promise.race([Promise.allSettled([...serving]), new Promise((resolve) => setTimeout(resolve, SERVING_GRACE_MS).unref())]);
      await Promise.allSettled([...queues.values()]);
      const open = await opening.catch(() => null);
      await open?.app.close();
      release();
      if (process.platform !== 'win32') rmSync(paths.socket, { force: true });
      rmSync(paths.pidFile, { force: true });
      stopped(code);
      return code;
    })());
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void stop('idle'), config.hooks.idleMs);
  };

  async function serve(socket: Socket): Promise<void> {
    touch();
    socket.on('error', () => undefined);
    let line: string;
    try {
      line = await readLine(socket);
    } catch {
      // A probe (another Cairn checking that this one listens) sends nothing.
      socket.destroy();
      return;
    }
    let reply: WireReply;
    let request: WireRequest | undefined;
    try {
      const r = JSON.parse(line) as WireRequest;
      request = r;
      if (r.v !== WIRE_VERSION) reply = { ok: false, error: `wire version ${r.v} is not ${WIRE_VERSION}` };
      else if (r.op === 'status')
        reply = {
          ok: true,
          status: { pid: process.pid, version: VERSION, started_at: new Date(startedAt).toISOString(), served, home: config.home, socket: paths.socket },
        };
      else if (r.op === 'stop') reply = { ok: true };
      else {
        served++;
        const open = await opening.catch((err: unknown) => {
          // Kept here, not by the client: its deadline may pass before this answer reaches it.
          if (CAPTURE_EVENTS.has(r.event)) spoolHook(paths.spool, { event: r.event, env: r.env, payload: r.payload, at: Date.now() });
          throw Object.assign(new Error(`the background Cairn could not open the data folder: ${err instanceof Error ? err.message : String(err)}`), {
            unavailable: true,
          });
        });
        if (existsSync(paths.spool)) await drainSpool(open);
        reply = { ok: true, output: await answer(open, r.event, r.env, r.payload) };
      }
    } catch (err) {
      bootLogger.error('hook failed', { event: request?.op === 'hook' ? request.event : undefined, err });
      reply = {
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        ...((err as { unavailable?: boolean }).unavailable ? { unavailable: true } : {}),
      };
    }
    socket.end(`${JSON.stringify(reply)}\n`);
    touch();
    // Another version's client started a newer (or older) Cairn: make way once this answer is out.
    if (request?.op === 'stop' || (request && request.version !== VERSION))
      void stop(request.op === 'stop' ? 'asked to stop' : `client version ${request.version}`);
  }

  if (process.platform !== 'win32') {
    mkdirSync(dirname(paths.socket), { recursive: true });
    rmSync(paths.socket, { force: true });
  }
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(paths.socket, () => {
        server.off('error', reject);
        // Only this user may talk to it (connecting to a Unix socket needs write permission on it).
        if (process.platform !== 'win32') chmodSync(paths.socket, 0o600);
        resolve();
      });
    });
  } catch (err) {
    rmSync(paths.pidFile, { force: true });
    throw err;
  }
  touch();
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  opening.then(
    (open) => {
      open.logger.info('background Cairn answering hooks', { socket: paths.socket, version: VERSION });
      // Events spooled while no Cairn answered are recorded before they grow stale.
      void drainSpool(open).catch((err: unknown) => open.logger.error('spooled hooks failed', { err }));
    },
    (err: unknown) => {
      bootLogger.error('background Cairn could not open the data folder', { err });
      void stop('open failed', 1);
    },
  );
  return done;
}
