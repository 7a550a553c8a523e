/**
 * Claude Code hook benchmark: wall time of `cairn hook <event>` as Claude Code runs it (a new
 * process per hook, payload on stdin, answered by the background Cairn), p50/p95 per event, with
 * 1k and 10k memories in the project. Also: the first hook (which starts the background Cairn),
 * a prompt answered in its own process (CAIRN_HOOK_DAEMON=off) for comparison, and the floor of
 * spawning `node` at all on this machine. Prints one JSON object on stdout.
 *
 *   npm run build && node dist/scripts/bench-hooks.js [--sizes 1000,10000] [--runs 40]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/index.js';
import { daemonPaths, defaultDbUrl } from '../src/hooks/socket.js';
import { readLine, WIRE_VERSION } from '../src/hooks/wire.js';
import { silentLogger } from '../src/logger.js';
import { projectNamespace } from '../src/scope/project.js';
import { VERSION } from '../src/version.js';

const { values } = parseArgs({ options: { sizes: { type: 'string' }, runs: { type: 'string' } } });
const sizes = (values.sizes ?? '1000,10000').split(',').map(Number);
const runs = Number(values.runs ?? 40);
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

const round = (x: number) => Math.round(x * 10) / 10;
function summary(samples: number[]): { p50: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), n: s.length };
}

/** Runs a command with `input` on stdin; resolves with its wall time (ms) and stdout. */
function timed(args: string[], input: string, env: Record<string, string>): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - t0, stdout }));
    child.stdin.end(input);
  });
}

/** One request straight to the background Cairn's socket, without a new process: what answering costs it. */
function direct(home: string, event: string, payload: Record<string, unknown>, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = connect(daemonPaths(home, defaultDbUrl(home)).socket);
    socket.once('error', reject);
    socket.once('connect', () => {
      readLine(socket).then(() => {
        socket.end();
        resolve(performance.now() - t0);
      }, reject);
      socket.write(`${JSON.stringify({ v: WIRE_VERSION, version: VERSION, op: 'hook', event, env, payload: JSON.stringify(payload) })}\n`);
    });
  });
}

const TOPICS = [
  'checkout',
  'invoice',
  'billing',
  'search',
  'catalog',
  'shipping',
  'payments',
  'login',
  'session',
  'cache',
  'queue',
  'webhook',
  'report',
  'export',
  'import',
];
const PARTS = ['service', 'endpoint', 'job', 'table', 'test', 'page', 'worker', 'client', 'schema', 'migration'];
const FACTS = [
  'retries three times',
  'runs every night',
  'needs the VPN',
  'uses Postgres',
  'was rewritten in May',
  'is owned by the platform team',
  'logs to stdout',
  'times out after 30 s',
  'is behind a feature flag',
  'pages the on-call engineer',
];
const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;
const memoryText = (i: number) =>
  `The ${pick(TOPICS, i)} ${pick(PARTS, Math.floor(i / 15))} ${pick(FACTS, Math.floor(i / 150))} (note ${i}, ticket ${1000 + ((i * 7919) % 9000)})`;

async function seed(home: string, ns: string, n: number): Promise<void> {
  const config = resolveConfig({ CAIRN_HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'silent', CAIRN_CHECKIN_MINUTES: '0' }, []);
  const app = await createApp(config, { logger: silentLogger });
  try {
    for (let i = 0; i < n; i++)
      await app.memory.remember(ns, { content: memoryText(i), kind: i % 10 === 0 ? 'fact' : 'note', ...(i % 20 === 0 ? { tags: ['decision'] } : {}) });
    for (let i = 0; i < 20; i++)
      await app.memory.remember('default', { content: `Prefers ${pick(TOPICS, i)} changes in small pull requests (${i})`, kind: 'preference' });
  } finally {
    await app.close();
  }
}

async function benchSize(n: number) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-bench-hooks-')));
  const home = join(root, 'home');
  const project = join(root, 'shop');
  mkdirSync(join(project, '.git'), { recursive: true });
  const ns = projectNamespace('default', project);
  const t0 = performance.now();
  await seed(home, ns, n);
  const seedMs = performance.now() - t0;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CAIRN_HOME: home,
    CAIRN_EMBEDDINGS: 'hashing',
    CAIRN_LOG_LEVEL: 'warn',
    CAIRN_CHECKIN_MINUTES: '0',
    CAIRN_HOOK_IDLE_SECONDS: '600',
  };
  const base = { transcript_path: '/tmp/t.jsonl', cwd: project, permission_mode: 'default' };
  const hook = (event: string, payload: Record<string, unknown>, e = env) =>
    timed([CLI, 'hook', event], JSON.stringify({ ...base, hook_event_name: event, ...payload }), e);

  const cold = await hook('SessionStart', { session_id: 'bench-0', source: 'startup' });
  // The first prompt of a session may still wait for the index the SessionStart began to load.
  const firstPrompt = await hook('UserPromptSubmit', { session_id: 'bench-0', prompt: 'Does the checkout service need the VPN?' });
  const samples: Record<string, number[]> = {};
  const add = (event: string, ms: number) => {
    samples[event] = [...(samples[event] ?? []), ms];
  };
  let answered = 0;
  for (let r = 0; r < runs; r++) {
    const session = `bench-${r}`;
    add('SessionStart', (await hook('SessionStart', { session_id: session, source: 'startup' })).ms);
    const prompt = await hook('UserPromptSubmit', { session_id: session, prompt: `What do we know about the ${pick(TOPICS, r)} ${pick(PARTS, r * 3)}?` });
    add('UserPromptSubmit', prompt.ms);
    if (prompt.stdout) answered++;
    add('UserPromptSubmit (unrelated)', (await hook('UserPromptSubmit', { session_id: session, prompt: 'Write a haiku about autumn leaves' })).ms);
    for (let k = 0; k < 3; k++) {
      add(
        'PostToolUse',
        (
          await hook('PostToolUse', {
            session_id: session,
            tool_name: 'Bash',
            tool_input: { command: `npm test -- ${pick(TOPICS, k)}` },
            tool_response: { stdout: 'ok', stderr: '', interrupted: false, isImage: false },
            tool_use_id: `t${k}`,
            duration_ms: 900,
          })
        ).ms,
      );
    }
    add(
      'PostToolUseFailure',
      (
        await hook('PostToolUseFailure', {
          session_id: session,
          tool_name: 'Bash',
          tool_input: { command: 'npm run lint' },
          error: 'Exit code 1',
          duration_ms: 300,
        })
      ).ms,
    );
    const end = r % 3 === 0 ? 'PreCompact' : r % 3 === 1 ? 'SessionEnd' : 'Stop';
    add(
      end,
      (
        await hook(end, {
          session_id: session,
          ...(end === 'Stop' ? { last_assistant_message: 'Done.' } : end === 'PreCompact' ? { trigger: 'auto' } : { reason: 'other' }),
        })
      ).ms,
    );
  }
  const socketOnly: number[] = [];
  for (let r = 0; r < runs; r++) {
    socketOnly.push(
      await direct(
        home,
        'UserPromptSubmit',
        { ...base, hook_event_name: 'UserPromptSubmit', session_id: 'direct', prompt: `What do we know about the ${pick(TOPICS, r + 5)} ${pick(PARTS, r)}?` },
        env,
      ),
    );
  }
  const inProcess: number[] = [];
  for (let r = 0; r < 5; r++)
    inProcess.push(
      (await hook('UserPromptSubmit', { session_id: 'inproc', prompt: 'Does the checkout service need the VPN?' }, { ...env, CAIRN_HOOK_DAEMON: 'off' })).ms,
    );
  await timed([CLI, 'hook', '--stop'], '', env);
  rmSync(root, { recursive: true, force: true });
  return {
    memories: n,
    seed_s: round(seedMs / 1000),
    first_hook_starts_cairn_ms: round(cold.ms),
    first_prompt_ms: round(firstPrompt.ms),
    events: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])),
    related_prompts_answered: `${answered}/${runs}`,
    prompt_answered_by_background_cairn_ms: summary(socketOnly),
    prompt_in_own_process_ms: summary(inProcess),
  };
}

const floor: number[] = [];
for (let i = 0; i < 20; i++) floor.push((await timed(['-e', '0'], '', { PATH: process.env.PATH ?? '' })).ms);
const results = [];
for (const n of sizes) results.push(await benchSize(n));
process.stdout.write(
  `${JSON.stringify({ node: process.version, cores: availableParallelism(), runs_per_event: runs, node_spawn_floor_ms: summary(floor), sizes: results }, null, 2)}\n`,
);
