import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNpm, folderBytes } from '../../src/ops/embeddings-runtime.js';

/**
 * The package as a user gets it: `npm pack`, then a default `npm install` of the tarball into an
 * empty folder with `--offline`, so every package must come from npm's cache and no install script
 * may reach the network. `.ci/run` fills the cache first; without that the install fails and so
 * does the test, naming what the cache lacks.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_NODE_MODULES_BYTES = 100_000_000;
/**
 * Packages of the default install allowed an install script. Both run node-gyp-build-optional-packages,
 * which finds the prebuilt binary shipped for the platform and builds from source only where none
 * exists; neither downloads anything.
 */
const INSTALL_SCRIPTS_ALLOWED = ['lmdb', 'msgpackr-extract'];
/** Packages the default install must not contain: the embeddings runtime is `cairn embeddings install`'s. */
const HEAVY = ['@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common', 'sharp'];

let tmp: string;
let prefix: string;
const npm = findNpm();

/** npm's environment without what `npm test` exports about this repo (its prefix, its .npmrc keys). */
function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k === 'INIT_CWD') continue;
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** Runs a program to its end: its exit code, stdout and stderr together (`out`), and stdout alone. */
function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; out: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, shell: npm.shell, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, stdout }));
  });
}

/** Every installed package (nested ones too): its name and manifest. */
function installedPackages(nodeModules: string): Array<{ name: string; manifest: { scripts?: Record<string, string> } }> {
  const found: Array<{ name: string; manifest: { scripts?: Record<string, string> } }> = [];
  if (!existsSync(nodeModules)) return found;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((n) => join(entry, n)) : [entry];
    for (const rel of dirs) {
      const pkgFile = join(nodeModules, rel, 'package.json');
      if (!existsSync(pkgFile)) continue;
      found.push({ name: rel.replace(/\\/g, '/'), manifest: JSON.parse(readFileSync(pkgFile, 'utf8')) });
      found.push(...installedPackages(join(nodeModules, rel, 'node_modules')));
    }
  }
  return found;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cairn-tarball-'));
  const env = npmEnv();
  // Scripts off: `prepare` would rebuild dist/ under the other tests' feet (`npm test` built it).
  const packed = await run(npm.command, [...npm.prefixArgs, 'pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT, env);
  expect(packed.code, packed.out).toBe(0);
  const { filename } = (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!;
  prefix = join(tmp, 'app');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'cairn-tarball-test', private: true }));
  const installed = await run(npm.command, [...npm.prefixArgs, 'install', '--offline', join(tmp, filename)], prefix, env);
  // An install from package-lock.json caches package tarballs but not the registry metadata a fresh
  // install resolves versions with; .ci/run fills it first (npm pack, then an online install of the
  // tarball into a temp folder with scripts off). Without that this test fails rather than skips.
  expect(installed.code, `npm install --offline of the tarball failed (run .ci/run's cache warm-up first):\n${installed.out}`).toBe(0);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the packed package, installed offline with npm defaults', () => {
  it('stays under 100 MB of node_modules, without the embeddings runtime, and only install scripts that download nothing', () => {
    const nodeModules = join(prefix, 'node_modules');
    const bytes = folderBytes(nodeModules);
    expect(bytes, `node_modules is ${(bytes / 1e6).toFixed(1)} MB`).toBeLessThanOrEqual(MAX_NODE_MODULES_BYTES);
    const packages = installedPackages(nodeModules);
    expect(packages.map((p) => p.name)).toContain('cairn-mcp');
    expect(packages.map((p) => p.name).filter((n) => HEAVY.includes(n))).toEqual([]);
    const scripted = packages.filter((p) => ['preinstall', 'install', 'postinstall'].some((s) => p.manifest.scripts?.[s] !== undefined)).map((p) => p.name);
    expect(scripted.filter((n) => !INSTALL_SCRIPTS_ALLOWED.includes(n))).toEqual([]);
    // Nothing the published package does not need: no scripts, no source maps, no tests.
    const pkgDir = join(nodeModules, 'cairn-mcp');
    expect(existsSync(join(pkgDir, 'dist', 'cairn.js'))).toBe(true);
    expect(existsSync(join(pkgDir, 'server.json'))).toBe(true);
    expect(existsSync(join(pkgDir, 'dist', 'scripts'))).toBe(false);
    expect(existsSync(join(pkgDir, 'test'))).toBe(false);
    expect(readdirSync(join(pkgDir, 'dist', 'chunks')).filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('its cairn-mcp bin answers initialize and remember over stdio, on the hashing embedder, and says how to get model embeddings', async () => {
    const home = join(tmp, 'home');
    const bin = join(prefix, 'node_modules', '.bin', process.platform === 'win32' ? 'cairn-mcp.cmd' : 'cairn-mcp');
    const env = { PATH: process.env.PATH ?? '', HOME: home, CAIRN_HOME: home, CAIRN_LOG_LEVEL: 'warn', CAIRN_CHECKIN_MINUTES: '0', CAIRN_OFFLINE: '1' };
    const transport = new StdioClientTransport({ command: bin, args: [], cwd: prefix, env, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const client = new Client({ name: 'cairn-tarball-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'cairn' });

      const remembered = await client.callTool({ name: 'remember', arguments: { content: 'The tarball install works offline', tags: ['install'] } });
      expect(remembered.isError, JSON.stringify(remembered.content)).toBeFalsy();
      const found = await client.callTool({ name: 'query_memory', arguments: { query: 'tarball install' } });
      expect(JSON.stringify(found.structuredContent)).toContain('The tarball install works offline');

      // The default embeddings mode tries the model in the background and settles on hashing.
      let embedder: Record<string, unknown> = {};
      for (let i = 0; i < 100 && embedder.error === undefined; i++) {
        const health = await client.callTool({ name: 'health_check', arguments: {} });
        embedder = (health.structuredContent as { embedder: Record<string, unknown> }).embedder;
        if (embedder.error === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(embedder, stderr).toMatchObject({
        active: 'hashing-v1-384',
        status: 'hashing',
        error: { code: 'EMBEDDER_UNAVAILABLE', details: { runtime: 'missing', install: 'cairn embeddings install' } },
      });
    } finally {
      await client.close();
    }

    // A second start checks the cache file the first left, with the checker the package ships.
    const health = await run(bin, ['health'], prefix, env);
    expect(JSON.parse(health.stdout), health.out).toMatchObject({ cache: { ok: true, state: 'ok' } });
    const doctor = await run(bin, ['doctor'], prefix, env);
    expect(doctor.out).toMatch(/embedder\s+the embeddings runtime is not installed: run "cairn embeddings install"/);
    const status = await run(bin, ['embeddings', 'status'], prefix, env);
    expect(status.code, status.out).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ installed: false, source: null, path: join(home, 'runtime') });
  });
});
