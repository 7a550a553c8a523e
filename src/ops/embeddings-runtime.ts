import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findTransformers, loadTransformers, type RuntimeLocation, TRANSFORMERS_PACKAGE, TRANSFORMERS_VERSION } from '../embeddings/runtime.js';
import { CairnError } from '../errors.js';

/** How to run npm: a program and the arguments that come before npm's own. */
export interface NpmCommand {
  command: string;
  prefixArgs: string[];
  /** Needed for Windows `npm.cmd`, the last resort when npm's JavaScript entry is not found. */
  shell: boolean;
}

/**
 * The npm that came with this Node, run as `node npm-cli.js` so no shell is involved on any
 * platform: the one that launched Cairn (`npm_execpath`, under `npx`), else the one installed
 * beside Node (`<node dir>/node_modules/npm` on Windows, `<node dir>/../lib/node_modules/npm`
 * elsewhere), else `npm` from PATH.
 */
export function findNpm(env: Record<string, string | undefined> = process.env, execPath = process.execPath, platform = process.platform): NpmCommand {
  const candidates = [
    env.npm_execpath,
    join(dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const cli = candidates.find((c) => c !== undefined && /npm-cli\.c?js$/.test(c) && existsSync(c));
  if (cli) return { command: execPath, prefixArgs: [cli], shell: false };
  return platform === 'win32' ? { command: 'npm.cmd', prefixArgs: [], shell: true } : { command: 'npm', prefixArgs: [], shell: false };
}

/** Options of {@link installRuntime}. */
export interface InstallRuntimeOptions {
  /** Target folder (`<home>/runtime`). */
  runtimeDir: string;
  /** Receives npm's output. Default: stderr (stdout is for the command's result). */
  log?: (chunk: string) => void;
  /** Environment of npm (registry, proxy, `npm_config_offline`, … apply as usual). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default {@link findNpm}. */
  npm?: NpmCommand;
  /**
   * What npm installs as {@link TRANSFORMERS_PACKAGE}: a version or any npm spec (e.g. `file:` a
   * tarball, for an install without the registry). Default {@link TRANSFORMERS_VERSION}.
   */
  spec?: string;
}

/** What {@link installRuntime} and {@link runtimeStatus} report. */
export interface RuntimeReport {
  installed: boolean;
  package: string;
  /** Installed version, or the one `install` would install. */
  version: string;
  /** `home` (installed by `cairn embeddings install`), `node_modules` (next to Cairn) or null. */
  source: RuntimeLocation['source'] | null;
  /** The package folder, or the runtime folder when it is not installed. */
  path: string;
  /** Size of the runtime folder on disk, when Cairn installed it. */
  bytes?: number;
}

/**
 * Installs transformers.js ({@link TRANSFORMERS_VERSION}) into `runtimeDir` with npm, with install
 * scripts off: onnxruntime-node's would download CUDA libraries from outside the npm registry
 * (its CPU binaries ship in the package), and sharp's are only a fallback build from source. Then
 * loads it once to check it works. Fails with `EMBEDDER_UNAVAILABLE` naming npm's exit code, or
 * what did not load; a failed install leaves the server on its hashing embedder as before.
 */
export async function installRuntime(opts: InstallRuntimeOptions): Promise<RuntimeReport> {
  const { runtimeDir } = opts;
  mkdirSync(runtimeDir, { recursive: true });
  const manifest = {
    name: 'cairn-embeddings-runtime',
    private: true,
    description: 'Embeddings runtime of Cairn, installed by "cairn embeddings install"; safe to delete ("cairn embeddings remove").',
    dependencies: { [TRANSFORMERS_PACKAGE]: opts.spec ?? TRANSFORMERS_VERSION },
  };
  writeFileSync(join(runtimeDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const npm = opts.npm ?? findNpm(opts.env);
  const args = [...npm.prefixArgs, 'install', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=warn'];
  // The prefix goes in the environment: it then needs no quoting, even through Windows' shell.
  const env = { ...(opts.env ?? process.env), npm_config_prefix: runtimeDir };
  const log = opts.log ?? ((chunk: string) => process.stderr.write(chunk));
  const code = await run(npm, args, runtimeDir, env, log);
  if (code !== 0) {
    throw new CairnError(
      'EMBEDDER_UNAVAILABLE',
      `npm could not install ${TRANSFORMERS_PACKAGE} ${TRANSFORMERS_VERSION} into ${runtimeDir} (exit code ${code}; its messages are above). It needs the npm registry (or npm's cache with npm_config_offline=true); Cairn keeps using its hashing embedder`,
    );
  }
  const found = findTransformers({ runtimeDir });
  if (found?.source !== 'home') throw new CairnError('EMBEDDER_UNAVAILABLE', `npm finished but ${TRANSFORMERS_PACKAGE} is not in ${runtimeDir}/node_modules`);
  await loadTransformers({ runtimeDir });
  return { installed: true, package: TRANSFORMERS_PACKAGE, version: found.version, source: 'home', path: found.dir, bytes: folderBytes(runtimeDir) };
}

/** Where the runtime is, if anywhere, without loading it. */
export function runtimeStatus(runtimeDir: string): RuntimeReport {
  const found = findTransformers({ runtimeDir });
  if (!found) return { installed: false, package: TRANSFORMERS_PACKAGE, version: TRANSFORMERS_VERSION, source: null, path: runtimeDir };
  return {
    installed: true,
    package: TRANSFORMERS_PACKAGE,
    version: found.version,
    source: found.source,
    path: found.dir,
    ...(found.source === 'home' ? { bytes: folderBytes(runtimeDir) } : {}),
  };
}

/** Deletes `runtimeDir` (models downloaded into `<home>/models` stay). Returns whether it existed. */
export function removeRuntime(runtimeDir: string): boolean {
  const existed = existsSync(runtimeDir);
  rmSync(runtimeDir, { recursive: true, force: true });
  return existed;
}

function run(npm: NpmCommand, args: string[], cwd: string, env: Record<string, string | undefined>, log: (chunk: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(npm.command, args, { cwd, env, shell: npm.shell, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child.stdout.setEncoding('utf8').on('data', log);
    child.stderr.setEncoding('utf8').on('data', log);
    child.on('error', (err) =>
      reject(
        new CairnError(
          'EMBEDDER_UNAVAILABLE',
          `cannot run npm (${npm.command}): ${err.message}; install npm, or run "npm install --ignore-scripts ${TRANSFORMERS_PACKAGE}@${TRANSFORMERS_VERSION}" in ${cwd}`,
          { cause: err },
        ),
      ),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Bytes of the files under `dir` (symbolic links not followed). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += lstatSync(path).size;
  }
  return total;
}
