/**
 * Start-up latency: spawn → `initialize` answered, over stdio, for Cairn's `cairn` bin (the
 * bundle) and, when it is installed next to this repo (`npm install --no-save
 * @modelcontextprotocol/server-memory`), the official memory server in the same run. Spawns of the
 * servers alternate, so both see the same machine load; the load average is reported with them.
 * Each spawn writes one `initialize` request and times the first line on stdout, then closes stdin.
 * Usage: node dist/scripts/bench-start.js [--n 30] [--warmup 3] [--entry name=/path/to/cli.js]…
 * (`--entry` adds another Cairn entry file to compare, e.g. an older build.) Prints JSON.
 * Not part of the test run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile } from './lib/stats.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
const N = Number(opt('n', '30'));
const WARMUP = Number(opt('warmup', '3'));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Entry {
  name: string;
  file: string;
  env: Record<string, string>;
}

/** The `cairn` bin as package.json declares it. */
function cairnBin(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(ROOT, pkg.bin.cairn ?? 'dist/cairn.js');
}

/** The official memory server's entry, when it is installed next to this repo. */
function serverMemory(): string | undefined {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const pkgFile = require.resolve('@modelcontextprotocol/server-memory/package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin: string | Record<string, string> };
    const bin = typeof pkg.bin === 'string' ? pkg.bin : Object.values(pkg.bin)[0];
    return bin === undefined ? undefined : join(pkgFile, '..', bin);
  } catch {
    return undefined;
  }
}

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-start', version: '1' } } })}\n`;

/** Milliseconds from spawn to the `initialize` answer on stdout. */
function once(entry: Entry): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [entry.file], { env: { PATH: process.env.PATH ?? '', ...entry.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let ms: number | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (ms === undefined && out.includes('\n')) {
        ms = performance.now() - t0;
        if (!out.includes('"result"')) reject(new Error(`${entry.name}: initialize failed: ${out.slice(0, 300)}`));
        child.stdin.end();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      if (ms === undefined) reject(new Error(`${entry.name} exited (${code}) before answering initialize: ${err.slice(-500)}`));
      else resolve(ms);
    });
    child.stdin.write(INIT);
  });
}

function summary(xs: number[]) {
  const q = (p: number) => +quantile(xs, p).toFixed(1);
  return { n: xs.length, p50_ms: q(0.5), p95_ms: q(0.95), min_ms: q(0), mean_ms: +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1) };
}

async function main() {
  const homes: string[] = [];
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-start-'));
    homes.push(dir);
    return dir;
  };
  const entries: Entry[] = [{ name: 'cairn', file: cairnBin(), env: { CAIRN_HOME: home(), CAIRN_CHECKIN_MINUTES: '0' } }];
  for (let i = argv.indexOf('--entry'); i >= 0; i = argv.indexOf('--entry', i + 1)) {
    const [name, file] = (argv[i + 1] ?? '').split('=');
    if (!name || !file || !existsSync(file)) throw new Error(`--entry wants name=/path/to/cli.js, got ${argv[i + 1]}`);
    entries.push({ name, file, env: { CAIRN_HOME: home(), CAIRN_CHECKIN_MINUTES: '0' } });
  }
  const peer = serverMemory();
  if (peer) entries.push({ name: 'server-memory', file: peer, env: { MEMORY_FILE_PATH: join(home(), 'memory.jsonl') } });

  const times = new Map<string, number[]>(entries.map((e) => [e.name, []]));
  const load = [loadavg()[0]];
  for (let i = 0; i < WARMUP + N; i++) {
    for (const entry of entries) {
      const ms = await once(entry);
      if (i >= WARMUP) times.get(entry.name)!.push(ms);
    }
  }
  load.push(loadavg()[0]);
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });

  const result: Record<string, unknown> = {
    node: process.version,
    load_1m: load.map((l) => +(l ?? 0).toFixed(2)),
    spawn_to_initialize: Object.fromEntries(entries.map((e) => [e.name, summary(times.get(e.name)!)])),
  };
  const cairn = summary(times.get('cairn')!);
  if (peer) {
    const other = summary(times.get('server-memory')!);
    result.ratio_to_server_memory = { p50: +(cairn.p50_ms / other.p50_ms).toFixed(2), p95: +(cairn.p95_ms / other.p95_ms).toFixed(2) };
  } else {
    result.server_memory = 'not installed: npm install --no-save @modelcontextprotocol/server-memory';
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
