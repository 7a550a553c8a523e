import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { type App, createApp } from '../app.js';
import { type Config, resolveConfig } from '../config/index.js';
import { registerInstance } from '../ops/instances.js';
import { VERSION } from '../version.js';
import { isHookEvent } from './events.js';
import { createHookHandler } from './handler.js';
import { daemonPaths } from './socket.js';
import { takeSpooled } from './spool.js';
import { readLine, WIRE_VERSION, type WireReply, type WireRequest } from './wire.js';

/**
 * The background Cairn that answers `cairn hook` for one data folder: it keeps the database open
 * and the namespaces' indexes loaded, so a prompt's memories come back in milliseconds instead of
 * the seconds a new process needs. Started by the first hook that finds none, it listens on a Unix
 * socket (a named pipe on Windows), answers one request per connection, records the events spooled
 * while it was away, and exits after `CAIRN_HOOK_IDLE_SECONDS` without a request (or on
 * `cairn hook --stop`, SIGTERM, or a request from another Cairn version, once answered).
 * Resolves with the exit code when it has stopped.
 */
export async function runHookDaemon(config: Config): Promise<number> {
  const paths = daemonPaths(config.home, config.dbUrl);
  if (!claimPidFile(paths.pidFile)) return 0;
  let app: App;
  try {
    app = await createApp(config);
  } catch (err) {
    rmSync(paths.pidFile, { force: true });
    throw err;
  }
  app.embeddings.start();
  const release = registerInstance(config.home, 'hooks');
  const logger = app.logger.child({ component: 'hook-daemon' });
  const handler = createHookHandler({ memory: app.memory, episodes: app.episodes, context: app.context, logger });
  const queues = new Map<string, Promise<unknown>>();
  const startedAt = Date.now();
  let served = 0;

  /** Runs work for one Claude Code session after the work before it, so its steps keep their order. */
  const inSession = <T>(session: string, work: () => Promise<T>): Promise<T> => {
    const prev = queues.get(session) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    queues.set(session, tail);
    void tail.then(() => {
      if (queues.get(session) === tail) queues.delete(session);
    });
    return next;
  };

  const answer = async (event: string, envOf: Record<string, string>, raw: string): Promise<unknown> => {
    if (!isHookEvent(event)) throw new Error(`unknown hook event ${JSON.stringify(event)}`);
    const payload = JSON.parse(raw) as { session_id?: unknown };
    const requestConfig = resolveConfig(envOf, ['hook', event]);
    const session = typeof payload.session_id === 'string' ? payload.session_id : '';
    const reply = await inSession(session, () => handler.handle({ event, payload, config: requestConfig }));
    if (reply.after) void inSession(session, reply.after).catch((err: unknown) => logger.error('hook follow-up failed', { event, err }));
    return reply.output;
  };

  const drainSpool = async () => {
    const { hooks, done } = takeSpooled(paths.spool);
    for (const h of hooks) await answer(h.event, h.env, h.payload).catch((err: unknown) => logger.error('spooled hook failed', { event: h.event, err }));
    done();
    if (hooks.length) logger.info('recorded spooled hooks', { count: hooks.length });
  };
  await drainSpool();

  let idle: NodeJS.Timeout | undefined;
  let stopping: Promise<number> | undefined;
  let stopped!: (code: number) => void;
  const done = new Promise<number>((resolve) => {
    stopped = resolve;
  });
  const server = createServer((socket) => void serve(socket));
  const stop = (why: string) =>
    (stopping ??= (async () => {
      clearTimeout(idle);
      logger.info('background Cairn stopping', { why, served });
      server.close();
      await Promise.allSettled([...queues.values()]);
      await app.close();
      release();
      if (process.platform !== 'win32') rmSync(paths.socket, { force: true });
      rmSync(paths.pidFile, { force: true });
      stopped(0);
      return 0;
    })());
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => void stop('idle'), config.hooks.idleMs);
  };

  async function serve(socket: Socket): Promise<void> {
    touch();
    socket.on('error', () => undefined);
    let reply: WireReply;
    let request: WireRequest | undefined;
    try {
      const r = JSON.parse(await readLine(socket)) as WireRequest;
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
        if (existsSync(paths.spool)) await drainSpool();
        reply = { ok: true, output: await answer(r.event, r.env, r.payload) };
      }
    } catch (err) {
      logger.error('hook failed', { event: request?.op === 'hook' ? request.event : undefined, err });
      reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(paths.socket, () => {
      server.off('error', reject);
      // Only this user may talk to it (connecting to a Unix socket needs write permission on it).
      if (process.platform !== 'win32') chmodSync(paths.socket, 0o600);
      resolve();
    });
  });
  touch();
  logger.info('background Cairn answering hooks', { socket: paths.socket, version: VERSION });
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return done;
}

/**
 * Writes this process's pid to `file` unless a live process holds it: one background Cairn per
 * data folder and database. A file left by a dead process is taken over.
 */
function claimPidFile(file: string): boolean {
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
