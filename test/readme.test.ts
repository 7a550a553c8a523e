/**
 * The README, checked against the behaviour: every shell command it shows is either run here
 * (against a temp home, offline) or listed with the reason it is not, and the claims around them
 * (exit codes, outputs, settings, tool counts, error texts) are asserted.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCatalogue, measureTools } from '../scripts/catalogue.js';
import { type CliResult, finished } from './cli/run.js';
import { startTestServer } from './helpers/client.js';
import { CLI } from './helpers/stdio.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
/** The README with every run of whitespace made one space, for claims that wrap across lines. */
const FLAT = README.replace(/\s+/g, ' ');

/** Shell commands of the README: lines of ```sh blocks (comments and heredoc bodies left out) and inline code that is a command. */
function readmeCommands(text: string): string[] {
  const out: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let heredoc: string | null = null;
    for (const raw of block[1]!.split('\n')) {
      if (heredoc !== null) {
        if (raw.trim() === heredoc) heredoc = null;
        continue;
      }
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (!line || line.startsWith('#')) continue;
      heredoc = /<<'?(\w+)'?/.exec(line)?.[1] ?? null;
      out.push(line);
    }
  }
  for (const m of text.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)) {
    const span = m[1]!.replace(/\\\|/g, '|');
    if (/^(cairn|npx|npm|node|claude) [^\s/]/.test(span) || /^node \//.test(span) || /^[A-Z_]+=\S+ cairn /.test(span)) out.push(span);
  }
  return [...new Set(out)];
}

const COMMANDS = readmeCommands(README);

/** The one README command matching `re`. */
function readme(re: RegExp): string {
  const found = COMMANDS.filter((c) => re.test(c));
  if (found.length !== 1) throw new Error(`expected one README command matching ${re}, found ${JSON.stringify(found)}`);
  return found[0]!;
}

/** Commands not run here, and why. Everything else in COMMANDS must be run by a test below. */
const NOT_RUN: Array<[RegExp, string]> = [
  [/^npm install && npm test$/, 'the test suite itself'],
  [/^npm install$/, 'needs the npm registry'],
  [/^npm install --no-save @modelcontextprotocol\/server-memory$/, 'needs the npm registry (the peer of scripts/bench.ts)'],
  [/^npm test$/, 'the test suite itself'],
  [/^npm run (build|typecheck)$/, '`npm test` runs both before this file'],
  [/^npm run lint$/, 'reports files that predate the formatter; new files are formatted one by one'],
  [/^npm run format$/, 'rewrites files in the working tree'],
  [/^npm run schemas$/, 'rewrites schemas/; test/schemas.test.ts fails when they are stale'],
  [/^claude mcp add /, 'needs Claude Code'],
  [/^claude (plugin |--plugin-dir )/, 'needs Claude Code; test/hooks/plugin.test.ts runs the plugin manifest’s own commands'],
  [/^cairn hook( |$)/, 'reads a Claude Code payload on stdin; test/hooks/hook-cli.test.ts runs every event with recorded payloads'],
  [/^npm test -- cart$/, 'quoted inside the example SessionStart pack (a command Claude ran), not one to run'],
  [/^cairn prefetch-model$/, 'downloads a model from the network'],
  [/^npm install --no-save @modelcontextprotocol\/server-memory$/, 'needs the npm registry; only node dist/scripts/bench-start.js uses it'],
  [/^npm install && npm pack$/, 'needs the npm registry; test/package/tarball.test.ts packs the package'],
  [/^npm install -g \.\/cairn-mcp-0\.1\.0\.tgz$/, 'installs globally; test/package/tarball.test.ts installs the packed tarball (offline) and runs its bin'],
  [
    /^cairn embeddings install(\|status\|remove)?$/,
    'downloads ~475 MB from the npm registry; test/embeddings/runtime.test.ts runs install, status and remove on a packed stand-in, test/package/tarball.test.ts status without the runtime',
  ],
  [/^cairn ui\b/, 'serves until stopped; test/ui/security.test.ts runs it and signs in with its link'],
  [/^node dist\/scripts\//, 'benchmarks and evaluations take minutes and are not part of the test run'],
];

/** Commands the tests below run (by the README text itself, through `readme`). */
const RUN: RegExp[] = [
  /npx cairn$/,
  // named in prose; run with their arguments below
  /^cairn (backup|restore|import)$/,
  /^npx -y cairn-mcp$/,
  /^node \/path\/to\/cairn\/dist\/cairn\.js$/,
  /^openssl rand -hex 32$/,
  /^cat > \/etc\/cairn\/tokens/,
  /^CAIRN_TOKENS=@\/etc\/cairn\/tokens cairn serve --http/,
  /^cairn serve --http$/,
  /^cairn import \/path\/to\/memory\.jsonl/,
  /^ls ~\/\.npm\/_npx/,
  /^cairn import ~\/\.npm\/_npx/,
  /^cairn export --out alice\.jsonl --namespace alice$/,
  /^CAIRN_HOME=\/new\/home cairn import alice\.jsonl --namespace alice$/,
  /^cairn backup \/backups\/cairn-\$\(date \+%F\)\.db$/,
  /^cairn backup PATH \[--force\]$/,
  /^cairn restore (\/backups\/cairn-2026-11-21\.db|PATH)$/,
  /^cairn (health|stats|reindex)$/,
  /^cairn doctor \[--json\]$/,
  /^cairn export \[--out FILE\]$/,
  /^cairn export \| head$/,
  /^cairn import FILE /,
  /^cairn cache verify\|clear$/,
  /^cairn memories list\|show\|forget\|restore$/,
  /^cairn curate( \[--dry-run\]| --runs| --undo RUN_ID)?$/,
];

describe('README commands', () => {
  it('every shell command is run by this file or listed with the reason it is not', () => {
    expect(COMMANDS.length).toBeGreaterThan(30);
    const uncovered = COMMANDS.filter((c) => !RUN.some((re) => re.test(c)) && !NOT_RUN.some(([re]) => re.test(c)));
    expect(uncovered).toEqual([]);
  });
});

// ---- a temp machine: HOME, a `cairn` on PATH, a working folder ------------------------------

let tmp: string;
let home: string;
let work: string;
const TOKENS = ['3f9c0e', '8a7d42'].map((p) => `${p}${'0123456789abcdef'.repeat(3)}`);

/** The README's example paths and placeholders, pointed into the temp machine. */
function local(cmd: string): string {
  return cmd
    .replace(/\/etc\/cairn\//g, `${tmp}/etc/cairn/`)
    .replace(/\/backups\//g, `${tmp}/backups/`)
    .replace(/\/path\/to\/cairn\//g, REPO)
    .replace(/\/path\/to\//g, `${tmp}/path/to/`)
    .replace(/\/new\/home/g, `${tmp}/new/home`)
    .replace(/<hash>/g, 'a1b2c3')
    .replace(/--port 8765/g, '--port 0')
    .replace(/3f9c0e…/g, TOKENS[0]!)
    .replace(/8a7d42…/g, TOKENS[1]!)
    .replace(/\bnpx (-y )?(cairn|cairn-mcp)\b/g, 'npx --no-install $2');
}

/** Runs a shell command line on the temp machine (offline: hashing embedder, no monitor). */
function sh(cmd: string, opts: { input?: string; cwd?: string; env?: Record<string, string>; shell?: string } = {}): Promise<CliResult> {
  const env = {
    PATH: `${tmp}/bin:${process.env.PATH ?? ''}`,
    HOME: home,
    CAIRN_EMBEDDINGS: 'hashing',
    CAIRN_LOG_LEVEL: 'warn',
    CAIRN_CHECKIN_MINUTES: '0',
    ...opts.env,
  };
  return finished(spawn(opts.shell ?? 'sh', ['-c', cmd], { cwd: opts.cwd ?? work, env, stdio: ['pipe', 'pipe', 'pipe'] }), opts.input ?? '');
}

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'readme', version: '1' } } })}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`;

/** A stdio server started by `cmd` answers initialize and exits cleanly when stdin closes. */
async function servesStdio(cmd: string, cwd = work): Promise<void> {
  const r = await sh(cmd, { input: INIT, cwd });
  expect(r.code).toBe(0);
  const first = JSON.parse(r.stdout.split('\n')[0]!);
  expect(first).toMatchObject({ id: 1, result: { serverInfo: { name: 'cairn' } } });
}

const SERVER_MEMORY = [
  { type: 'entity', name: 'Alice', entityType: 'person', observations: ['likes tea', 'works on the parser'] },
  { type: 'relation', from: 'Alice', to: 'Bob', relationType: 'knows' },
]
  .map((x) => JSON.stringify(x))
  .join('\n');

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cairn-readme-'));
  home = join(tmp, 'home');
  work = join(tmp, 'work');
  for (const d of [home, work, join(tmp, 'bin'), join(tmp, 'etc', 'cairn'), join(tmp, 'backups'), join(tmp, 'path', 'to')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(tmp, 'bin', 'cairn'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  writeFileSync(join(tmp, 'server-memory.jsonl'), SERVER_MEMORY);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('Quick start and Connect a client', () => {
  it('npx cairn (from the clone) serves MCP on stdio with CAIRN_HOME as given', async () => {
    const cmd = readme(/npx cairn$/).replace(/^npm install && /, '');
    await servesStdio(local(cmd), REPO);
    expect(existsSync(join(home, '.local', 'share', 'cairn', 'cairn.db'))).toBe(true);
  });

  it('the local-path and npx forms of mcp.json.example start the same server', async () => {
    await servesStdio(local(readme(/^node \/path\/to\/cairn\/dist\/cairn\.js$/)));
    await servesStdio(local(readme(/^npx -y cairn-mcp$/)), REPO);
  });
});

describe('Remote server', () => {
  it('the tokens file and `CAIRN_TOKENS=@file cairn serve --http --host 0.0.0.0` serve each token its namespace', async () => {
    const rand = await sh(readme(/^openssl rand -hex 32$/));
    if (rand.code === 0) expect(rand.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    const block = /```sh\n(openssl rand[\s\S]*?)```/.exec(README)![1]!;
    const heredoc = block.slice(block.indexOf('cat > '), block.indexOf('TOKENS\nCAIRN_TOKENS') + 'TOKENS'.length);
    expect((await sh(local(heredoc))).code).toBe(0);
    const served = await startServing(local(readme(/^CAIRN_TOKENS=@\/etc\/cairn\/tokens cairn serve --http/)));
    try {
      const base = served.url.replace('0.0.0.0', '127.0.0.1').replace(/\/mcp$/, '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const init = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'r', version: '1' } },
      };
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      expect((await fetch(`${base}/mcp`, { method: 'POST', headers, body: JSON.stringify(init) })).status).toBe(401);
      const ok = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKENS[0]}` }, body: JSON.stringify(init) });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('mcp-session-id')).toBeTruthy();
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it('`cairn serve --http` alone listens on 127.0.0.1:8765 without auth; a non-loopback address without tokens is refused', async () => {
    expect(readme(/^cairn serve --http$/)).toBe('cairn serve --http');
    const doctor = await sh('cairn doctor');
    expect(doctor.stdout).toContain('http 127.0.0.1:8765 with 0 token(s)');
    const served = await startServing('cairn serve --http --port 0');
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect(served.log).toContain('"auth":"none (loopback only)"');
    } finally {
      expect(await served.stop()).toBe(0);
    }
    const refused = await sh('cairn serve --http --host 0.0.0.0 --port 0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CAIRN_TOKENS/);
  });
});

/** Starts a long-running `cairn serve --http` line and waits for its URL. */
function startServing(cmd: string): Promise<{ url: string; log: string; stop(): Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const env = { PATH: `${tmp}/bin:${process.env.PATH ?? ''}`, HOME: home, CAIRN_EMBEDDINGS: 'hashing', CAIRN_LOG_LEVEL: 'info', CAIRN_CHECKIN_MINUTES: '0' };
    // `exec env …` leaves the server itself as the child, so SIGTERM reaches it (and `VAR=value cmd` works).
    const child = spawn('sh', ['-c', `exec env ${cmd}`], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const url = /"msg":"cairn serving on http".*?"url":"([^"]+)"/.exec(log)?.[1];
      const stop = () => {
        child.kill('SIGTERM');
        return exited;
      };
      if (url) resolve({ url, log, stop });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before serving: ${log}`)));
  });
}

describe('Operations', () => {
  it('moving from server-memory: both README forms import the graph', async () => {
    writeFileSync(join(tmp, 'path', 'to', 'memory.jsonl'), SERVER_MEMORY);
    const npx = join(home, '.npm', '_npx', 'a1b2c3', 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist');
    mkdirSync(npx, { recursive: true });
    copyFileSync(join(tmp, 'server-memory.jsonl'), join(npx, 'memory.jsonl'));
    for (const re of [/^cairn import \/path\/to\/memory\.jsonl/, /^ls ~\/\.npm\/_npx/, /^cairn import ~\/\.npm\/_npx/]) {
      const r = await sh(local(readme(re)));
      expect(r.code, `${readme(re)}\n${r.stderr}`).toBe(0);
    }
    const out = await sh('cairn export --namespace me');
    expect(out.stdout).toContain('"content":"Alice: likes tea"');
    expect(out.stdout).toContain('"content":"Alice knows Bob"');
  });

  it('moving a namespace: export --out, then import into another home', async () => {
    expect((await sh(`cairn import ${tmp}/server-memory.jsonl --format server-memory --namespace alice`)).code).toBe(0);
    expect((await sh(local(readme(/^cairn export --out alice\.jsonl --namespace alice$/)))).code).toBe(0);
    expect((await sh(local(readme(/^CAIRN_HOME=\/new\/home cairn import alice\.jsonl --namespace alice$/)))).code).toBe(0);
    const stats = JSON.parse((await sh(`CAIRN_HOME=${tmp}/new/home cairn stats --namespace alice`)).stdout);
    expect(stats.counts).toMatchObject({ memories: 3 });
  });

  it('backups: backup from cron, --force to replace, restore keeps the old database', async () => {
    const cron = await sh(local(readme(/^cairn backup \/backups\/cairn-\$\(date \+%F\)\.db$/)));
    expect(cron.code).toBe(0);
    const made = readdirSync(join(tmp, 'backups')).filter((f) => /^cairn-\d{4}-\d\d-\d\d\.db$/.test(f));
    expect(made).toHaveLength(1);
    readme(/^cairn backup PATH \[--force\]$/);
    const again = await sh(`cairn backup ${tmp}/backups/${made[0]}`);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--force/);
    expect((await sh(`cairn backup ${tmp}/backups/${made[0]} --force`)).code).toBe(0);
    copyFileSync(join(tmp, 'backups', made[0]!), join(tmp, 'backups', 'cairn-2026-11-21.db'));
    const restored = await sh(local(readme(/^cairn restore \/backups\/cairn-2026-11-21\.db$/)));
    expect(restored.code, restored.stderr).toBe(0);
    expect(readdirSync(join(home, '.local', 'share', 'cairn')).some((f) => f.startsWith('cairn.db.pre-restore-'))).toBe(true);
  });

  it('health, stats, doctor, reindex and cache answer as the table says', async () => {
    const health = await sh(readme(/^cairn health$/));
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ status: 'healthy', problems: [] });
    const stats = await sh(readme(/^cairn stats$/));
    expect(JSON.parse(stats.stdout)).toMatchObject({ namespace: 'default', schema_version: expect.any(Number) });
    const doctor = readme(/^cairn doctor \[--json\]$/);
    expect((await sh('cairn doctor')).code).toBe(0);
    const json = await sh(doctor.replace(/\[(--json)\]/, '$1'));
    expect(JSON.parse(json.stdout).checks.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['node', 'config', 'home', 'disk', 'servers', 'database', 'writes', 'cache', 'embedder']),
    );
    const reindex = await sh(readme(/^cairn reindex$/));
    expect(reindex.code).toBe(0);
    expect(JSON.parse(reindex.stdout)).toMatchObject({ embedder: expect.stringMatching(/^hashing/) });
    for (const sub of readme(/^cairn cache verify\|clear$/)
      .replace(/^cairn cache /, '')
      .split('|')) {
      expect((await sh(`cairn cache ${sub}`)).code).toBe(0);
    }
  });

  it('memories and curate answer as the table says', async () => {
    const env = { env: { CAIRN_NAMESPACE: 'cur' } };
    expect((await sh(`cairn import ${tmp}/server-memory.jsonl --format server-memory`, env)).code).toBe(0);
    const [list, show, forget, restore] = readme(/^cairn memories list\|show\|forget\|restore$/)
      .replace(/^cairn memories /, '')
      .split('|');
    const listed = JSON.parse((await sh(`cairn memories ${list}`, env)).stdout);
    expect(listed.memories).toHaveLength(3);
    const id = listed.memories[0].id as string;
    expect(JSON.parse((await sh(`cairn memories ${show} ${id}`, env)).stdout).memory).toMatchObject({ id, status: 'live' });
    expect(JSON.parse((await sh(`cairn memories ${forget} ${id}`, env)).stdout)).toEqual({ id, status: 'forgotten' });
    expect(JSON.parse((await sh(`cairn memories ${restore} ${id}`, env)).stdout)).toMatchObject({ id, status: 'restored' });
    const dry = readme(/^cairn curate \[--dry-run\]$/).replace(/\[(--dry-run)\]/, '$1');
    expect(JSON.parse((await sh(dry, env)).stdout)).toMatchObject({ dry_run: true, run_id: null });
    const run = JSON.parse((await sh(readme(/^cairn curate$/), env)).stdout);
    expect(run).toMatchObject({ dry_run: false, run_id: expect.any(String) });
    expect(JSON.parse((await sh(readme(/^cairn curate --runs$/), env)).stdout).runs[0]).toMatchObject({ run_id: run.run_id });
    const undo = await sh(readme(/^cairn curate --undo RUN_ID$/).replace('RUN_ID', run.run_id), env);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ run_id: run.run_id });
  });

  it('export to stdout or --out, import from a file or stdin, --strict stops at a bad row', async () => {
    readme(/^cairn export \[--out FILE\]$/);
    readme(/^cairn import FILE \[--format cairn\|server-memory\] \[--strict\]$/);
    expect((await sh(`cairn import ${tmp}/server-memory.jsonl --format server-memory --namespace ex`)).code).toBe(0);
    const out = await sh('cairn export --namespace ex');
    expect(out.code).toBe(0);
    expect((await sh('cairn export --namespace ex --out ex.jsonl')).code).toBe(0);
    expect(readFileSync(join(work, 'ex.jsonl'), 'utf8').trim().split('\n')).toHaveLength(out.stdout.trim().split('\n').length);
    const viaStdin = await sh(`CAIRN_HOME=${tmp}/stdin-home cairn import - --namespace ex < ex.jsonl`);
    expect(viaStdin.code, viaStdin.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    const bad = JSON.parse(lines[1]!);
    bad.data.importance = 7;
    writeFileSync(join(work, 'bad.jsonl'), [lines[0], JSON.stringify(bad), ...lines.slice(2)].join('\n'));
    const strict = await sh(`CAIRN_HOME=${tmp}/strict-home cairn import bad.jsonl --namespace ex --strict`);
    expect(strict.code).toBe(1);
    expect(strict.stderr + strict.stdout).toMatch(/line 2/);
  });

  it('`cairn export | head` stops quietly with exit code 0', async () => {
    const many = {
      type: 'entity',
      name: 'Big',
      entityType: 'note',
      observations: Array.from({ length: 600 }, (_, i) => `observation ${i} ${'x'.repeat(200)}`),
    };
    writeFileSync(join(tmp, 'many.jsonl'), JSON.stringify(many));
    expect((await sh(`cairn import ${tmp}/many.jsonl --format server-memory --namespace big`)).code).toBe(0);
    const cmd = readme(/^cairn export \| head$/);
    const r = await sh(`set -o pipefail; ${cmd.replace('cairn export', 'cairn export --namespace big')} -n 1`, { shell: 'bash' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('every command prints --help and takes --home; a namespace flag on an all-namespace command is exit 2', async () => {
    for (const cmd of ['serve', 'health', 'stats', 'doctor', 'export', 'import', 'backup', 'restore', 'reindex', 'cache', 'embeddings', 'prefetch-model']) {
      const r = await sh(`cairn ${cmd} --help --home ${tmp}/help-home`);
      expect(r.code, `${cmd}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/Usage: cairn/);
      expect(r.stdout).toContain(cmd);
    }
    const r = await sh(`cairn backup ${tmp}/backups/ns.db --namespace me`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--namespace/);
  });
});

describe('Settings', () => {
  /** Variables of the Settings table and a value each one refuses (null: any text is accepted). */
  const BAD: Record<string, string | null> = {
    CAIRN_HOME: null,
    CAIRN_DB_URL: 'cairn.db',
    CAIRN_DB_AUTH_TOKEN: null,
    CAIRN_NAMESPACE: 'two words',
    CAIRN_TOOLSETS: 'memory,everything',
    CAIRN_LOG_LEVEL: 'loud',
    CAIRN_EMBEDDINGS: 'magic',
    CAIRN_SEARCH: 'grep',
    CAIRN_MODEL: null,
    CAIRN_MODEL_DIR: null,
    CAIRN_OFFLINE: 'maybe',
    CAIRN_TZ: 'Mars/Olympus',
    CAIRN_TIME_MULTIPLIER: '9',
    CAIRN_CHECKIN_MINUTES: 'abc',
    CAIRN_FOCUS_IDLE_MINUTES: '-5',
    CAIRN_CURATE_MINUTES: 'hourly',
    CAIRN_CURATE_SIMILARITY: '2',
    CAIRN_SANDBOX_WORKERS: '0',
    CAIRN_MAX_REPLY_TOKENS: '50000',
    CAIRN_PROJECT: 'two words',
    CAIRN_CAPTURE: 'maybe',
    CAIRN_CONTEXT_TOKENS: '5',
    CAIRN_PROMPT_TOKENS: '-1',
    CAIRN_HOOK_DAEMON: 'sometimes',
    CAIRN_HOOK_IDLE_SECONDS: '0',
  };
  const section = README.slice(README.indexOf('## Settings'), README.indexOf('## Where data lives'));
  const tableVars = [...section.matchAll(/^\| `(CAIRN_[A-Z_]+)` \|/gm)].map((m) => m[1]!);

  it('the table lists every setting the code reads, and only those', () => {
    const code = new Set(
      readdirSync(join(REPO, 'src', 'config'))
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => [...readFileSync(join(REPO, 'src', 'config', f), 'utf8').matchAll(/\b(CAIRN_[A-Z_]*[A-Z])\b/g)].map((m) => m[1]!)),
    );
    const documented = new Set([...README.matchAll(/`(CAIRN_[A-Z_]*[A-Z])`/g)].map((m) => m[1]!));
    expect([...code].filter((v) => !documented.has(v))).toEqual([]);
    expect([...documented].filter((v) => !code.has(v))).toEqual([]);
    expect(tableVars.sort()).toEqual(Object.keys(BAD).sort());
  });

  it('a bad value stops Cairn with one plain line naming the variable, and exit code 2 (the README example exactly)', async () => {
    const example = /\(`(CAIRN_CHECKIN_MINUTES="abc" is invalid:[^`]+)`\)/.exec(section)![1]!.replace(/\s+/g, ' ');
    const r = await sh('CAIRN_CHECKIN_MINUTES=abc cairn stats');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cairn: ${example}\n`);
    for (const [name, bad] of Object.entries(BAD)) {
      if (bad === null) continue;
      const got = await sh('cairn stats', { env: { [name]: bad } });
      expect(got.code, `${name}=${bad}`).toBe(2);
      expect(got.stderr.trim().split('\n'), `${name}=${bad}`).toHaveLength(1);
      expect(got.stderr).toContain(name);
      expect(got.stderr).not.toMatch(/expected (number|string)|received/);
    }
  });
});

describe('Tools section', () => {
  it('the tool count, toolsets and catalogue sizes are the real ones', async () => {
    const m =
      /(\d+) tools in (\w+) toolsets \(`CAIRN_TOOLSETS` picks which a client sees\)\. With all of them the model reads about ([\d,]+) tokens of tool catalogue \(names, descriptions, input schemas: ([\d.]+) KB; the whole `tools\/list` is ([\d.]+) KB\), and about ([\d,]+) with `memory` only/.exec(
        FLAT,
      );
    expect(m).not.toBeNull();
    const words: Record<string, number> = { five: 5, six: 6, seven: 7 };
    const num = (s: string) => Number(s.replace(/,/g, ''));
    const close = (actual: number, shown: string) => expect(Math.abs(actual - num(shown)) / num(shown)).toBeLessThan(0.02);
    const all = await listCatalogue();
    const cost = measureTools(all.tools);
    const memory = measureTools((await listCatalogue('memory')).tools);
    expect(all.tools.length).toBe(Number(m![1]));
    expect(words[m![2]!]).toBe(6);
    close(cost.totals.model_visible_tokens, m![3]!);
    close(cost.totals.model_visible / 1000, m![4]!);
    close(cost.totals.tools_list / 1000, m![5]!);
    close(memory.totals.model_visible_tokens, m![6]!);
    const rows = [...README.matchAll(/^\| `([a-z_]+)` \| (memory|episodes|patterns|adhd|sandbox|ops) \|/gm)].map((r) => r[1]);
    expect(rows).toHaveLength(all.tools.length);
  });

  it('bad input comes back as the README says it begins', async () => {
    const prefix = /Bad input → an `isError` result[^`]*`([^`]+)`/.exec(FLAT)![1]!;
    const s = await startTestServer();
    try {
      const res = await s.client.callTool({ name: 'remember', arguments: { content: 5 } });
      expect(res.isError).toBe(true);
      const text = (res.content as Array<{ text: string }>)[0]!.text;
      expect(text.startsWith(prefix.replace(/…$/, '').replace(/<name>/, 'remember'))).toBe(true);
      expect(text).toContain('content');
    } finally {
      await s.close();
    }
  });
});

describe('claims around the commands', () => {
  it('Node version, the prepare build, and the client configurations in mcp.json.example', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(FLAT).toContain(`Requires Node.js ≥ ${pkg.engines.node.replace(/^>=/, '')}.`);
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.build).toMatch(/^tsc\b.* && node dist\/scripts\/bundle\.js$/);
    const shortest = /The shortest form: ```json\s*(\{[^`]+\})\s*```/.exec(FLAT)![1]!;
    expect(JSON.parse(shortest)).toEqual({ mcpServers: { cairn: { command: 'npx', args: ['-y', 'cairn-mcp'] } } });
    const example: Record<string, { mcpServers?: Record<string, unknown>; servers?: Record<string, unknown> }> = JSON.parse(
      readFileSync(join(REPO, 'mcp.json.example'), 'utf8'),
    );
    const blocks = Object.entries(example).filter(([k]) => k !== '//');
    const server = (b: (typeof blocks)[number][1]) =>
      (b.mcpServers ?? b.servers)!.cairn as { command?: string; args?: string[]; url?: string; headers?: Record<string, string> };
    for (const client of ['claude_desktop', 'claude_code', 'cursor', 'vscode']) {
      const local = blocks.filter(([k]) => k.startsWith(client) && !k.includes('remote') && !k.includes('local clone'));
      expect(
        local.map(([, b]) => server(b)).some((c) => c.command === 'npx' && c.args?.join(' ') === '-y cairn-mcp'),
        client,
      ).toBe(true);
      const remote = blocks.filter(([k]) => k.startsWith(client) && k.includes('remote')).map(([, b]) => JSON.stringify(server(b)));
      expect(
        remote.some((r) => /Bearer/.test(r) && /\/mcp"/.test(r)),
        `${client} remote`,
      ).toBe(true);
    }
    expect(blocks.some(([, b]) => server(b).args?.[0]?.endsWith('/dist/cairn.js'))).toBe(true);
    expect(blocks.some(([k, b]) => /SSE/.test(k) && server(b).url?.endsWith('/sse'))).toBe(true);
  });

  it('the domain error example and the listed codes are real', async () => {
    const errors = readFileSync(join(REPO, 'src', 'errors.ts'), 'utf8');
    const listed = /Codes: ((?:`[A-Z_]+`, )+)…/.exec(FLAT)![1]!.match(/[A-Z_]+/g)!;
    for (const code of listed) expect(errors, code).toContain(`'${code}'`);
    const example = /e\.g\. `(EPISODE_CLOSED: [^`]+)`/.exec(FLAT)![1]!;
    const [before, after] = example.split('…');
    const s = await startTestServer();
    try {
      const { episode_id } = await s.call('start_episode', { task: 'x', task_type: 't', domain: 'd' });
      await s.call('complete_episode', { episode_id, outcome: { type: 'success' } });
      const text = await s.callError('log_step', { episode_id, tool: 't', action: 'a' });
      expect(text.startsWith(before!)).toBe(true);
      expect(text).toContain(after!);
    } finally {
      await s.close();
    }
  });
});

/** Checks that `actual` shows what `shown` does: numbers to the digits shown, strings equal (an ellipsis matches anything), objects key by key. */
function matchesShown(shown: unknown, actual: unknown, path = '$'): string[] {
  if (typeof shown === 'number') {
    if (typeof actual !== 'number') return [`${path}: ${JSON.stringify(actual)} is not a number`];
    const digits = String(shown).replace(/^-?0\.0*|\.|-/g, '').length;
    return Number(actual.toPrecision(Math.max(1, digits))) === shown ||
      Math.abs(actual - shown) <= 10 ** -(String(shown).split('.')[1] ?? '').length / 2 + 1e-12
      ? []
      : [`${path}: ${actual} is not ${shown}`];
  }
  if (typeof shown === 'string') return shown.includes('…') || shown === actual ? [] : [`${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(shown)}`];
  if (Array.isArray(shown)) {
    if (!Array.isArray(actual)) return [`${path}: not a list`];
    return shown.flatMap((x, i) => matchesShown(x, actual[i], `${path}[${i}]`));
  }
  if (shown && typeof shown === 'object') {
    if (!actual || typeof actual !== 'object') return [`${path}: not an object`];
    return Object.entries(shown).flatMap(([k, v]) => matchesShown(v, (actual as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return shown === actual ? [] : [`${path}: ${JSON.stringify(actual)} is not ${JSON.stringify(shown)}`];
}

describe('tool examples', () => {
  const pairs = [...README.matchAll(/```json\n(\{"name": [^\n]+\})\n```\n```json\n([\s\S]*?)```/g)].map((m) => ({
    call: JSON.parse(m[1]!),
    shown: JSON.parse(m[2]!),
  }));

  it('each example call is accepted, and the statistics example answers exactly what is shown', async () => {
    expect(pairs.map((p) => p.call.name)).toEqual(['analyze_patterns', 'advanced_pattern_analysis']);
    const s = await startTestServer();
    try {
      for (const { call, shown } of pairs) {
        const out = (await s.call(call.name, call.arguments)) as Record<string, unknown>;
        expect(Object.keys(out)).toEqual(expect.arrayContaining(Object.keys(shown)));
        if (call.name === 'advanced_pattern_analysis') expect(matchesShown(shown, out)).toEqual([]);
        else expect(out.ranking).toBe(shown.ranking);
      }
    } finally {
      await s.close();
    }
  });
});
