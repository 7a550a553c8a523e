import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CairnError } from '../errors.js';

/**
 * The transformers.js release `cairn embeddings install` installs; the devDependency the tests
 * run is the same version (a test compares them).
 */
export const TRANSFORMERS_VERSION = '4.3.1';

/** The npm package that runs embedding models. */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

/** The command that installs the embeddings runtime. */
export const INSTALL_COMMAND = 'cairn embeddings install';

/** Folder `cairn embeddings install` installs the runtime into: `<home>/runtime`. */
export const runtimeDirOf = (home: string): string => join(home, 'runtime');

/** Where the runtime was found. */
export interface RuntimeLocation {
  /** `home`: installed by `cairn embeddings install`; `node_modules`: resolvable from Cairn itself (a dev checkout, or installed next to Cairn). */
  source: 'home' | 'node_modules';
  /** The package folder. */
  dir: string;
  version: string;
  /** The file to import (its Node ES module entry). */
  entry: string;
}

/** The part of transformers.js Cairn uses. */
export interface TransformersModule {
  pipeline: (...args: never[]) => Promise<unknown>;
  env: { allowRemoteModels: boolean };
}

/** Options of {@link findTransformers} and {@link loadTransformers}. */
export interface RuntimeOptions {
  /** The folder of `cairn embeddings install` (see {@link runtimeDirOf}). Default: none. */
  runtimeDir?: string;
  /** Where Node resolution starts for a runtime next to Cairn. Default: this module's own location. */
  resolveFrom?: string;
}

/**
 * Finds transformers.js without loading it: first in `runtimeDir` (what the user installed for
 * Cairn), then by Node resolution from Cairn's own location. Returns undefined when neither has it.
 */
export function findTransformers(options: RuntimeOptions = {}): RuntimeLocation | undefined {
  if (options.runtimeDir !== undefined) {
    const dir = join(options.runtimeDir, 'node_modules', ...TRANSFORMERS_PACKAGE.split('/'));
    const found = describe(dir, 'home');
    if (found) return found;
  }
  try {
    // The package exports no `./package.json`; its CommonJS entry sits in `<package>/dist/`.
    const cjs = createRequire(options.resolveFrom ?? import.meta.url).resolve(TRANSFORMERS_PACKAGE);
    return describe(packageDirOf(cjs), 'node_modules');
  } catch {
    return undefined;
  }
}

/**
 * Imports transformers.js from where {@link findTransformers} finds it. Fails with
 * `EMBEDDER_UNAVAILABLE`: with `details.runtime: 'missing'` and a message saying how to install it
 * when it is nowhere, or with the cause when it is there but does not load.
 */
export async function loadTransformers(options: RuntimeOptions = {}): Promise<TransformersModule> {
  const found = findTransformers(options);
  if (!found) throw runtimeMissing(options.runtimeDir);
  try {
    return (await import(pathToFileURL(found.entry).href)) as TransformersModule;
  } catch (err) {
    throw new CairnError(
      'EMBEDDER_UNAVAILABLE',
      `the embeddings runtime ${TRANSFORMERS_PACKAGE} ${found.version} at ${found.dir} does not load (${err instanceof Error ? err.message : String(err)}); reinstall it with "cairn embeddings install"`,
      { cause: err },
    );
  }
}

/** The error for a missing runtime, naming the command that installs it. */
export function runtimeMissing(runtimeDir: string | undefined): CairnError {
  return new CairnError(
    'EMBEDDER_UNAVAILABLE',
    `the embeddings runtime is not installed: run "cairn embeddings install" to add ${TRANSFORMERS_PACKAGE} ${TRANSFORMERS_VERSION}${runtimeDir ? ` under ${runtimeDir}` : ''} (about 450 MB); until then Cairn uses its hashing embedder`,
    { details: { runtime: 'missing', install: INSTALL_COMMAND } },
  );
}

/** True when `err` says the embeddings runtime is not installed (see {@link runtimeMissing}). */
export function isRuntimeMissing(err: unknown): boolean {
  return err instanceof CairnError && err.details?.runtime === 'missing';
}

function describe(dir: string, source: RuntimeLocation['source']): RuntimeLocation | undefined {
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) return undefined;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string; exports?: unknown; module?: string; main?: string };
  const rel = nodeImportEntry(pkg.exports) ?? pkg.module ?? pkg.main;
  if (rel === undefined || !existsSync(join(dir, rel))) return undefined;
  return { source, dir, version: pkg.version ?? 'unknown', entry: join(dir, rel) };
}

/** The file Node's `import` resolves for the package root: conditions `node`, `import`, `default`, in order. */
function nodeImportEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return nodeImportEntry(map['.']);
  for (const condition of ['node', 'import', 'default']) {
    if (condition in map) {
      const found = nodeImportEntry(map[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The package folder holding `file`: the nearest folder up with a package.json naming the package. */
function packageDirOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pkgFile = join(dir, 'package.json');
    if (existsSync(pkgFile) && (JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: string }).name === TRANSFORMERS_PACKAGE) return dir;
  }
  throw new Error(`no package.json of ${TRANSFORMERS_PACKAGE} above ${file}`);
}
