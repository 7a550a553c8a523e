import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTransformers, isRuntimeMissing, loadTransformers, TRANSFORMERS_PACKAGE, TRANSFORMERS_VERSION } from '../../src/embeddings/runtime.js';
import { findNpm, installRuntime, removeRuntime, runtimeStatus } from '../../src/ops/embeddings-runtime.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };

let tmp: string;
/** A package named like transformers.js, packed as npm would fetch it: what `install` is given instead of the registry. */
let fakeTarball: string;
const npmLog: string[] = [];
const quiet = (chunk: string) => void npmLog.push(chunk);
// npm must not reach the registry: the fake comes from a file, and nothing else is needed.
const offlineEnv = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };

/** Writes a package called @huggingface/transformers with `index` as its entry; returns its folder. */
function fakePackage(dir: string, index: string): string {
  mkdirSync(dir, { recursive: true });
  const manifest = { name: TRANSFORMERS_PACKAGE, version: '0.0.0-fake', type: 'module', exports: { '.': { node: './index.mjs' } } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'index.mjs'), index);
  return dir;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'cairn-runtime-'));
  const src = fakePackage(
    join(tmp, 'fake-src'),
    "export const env = { allowRemoteModels: true };\nexport async function pipeline() { return 'fake pipeline'; }\n",
  );
  const npm = findNpm();
  const packed = spawnSync(npm.command, [...npm.prefixArgs, 'pack', '--pack-destination', tmp, '--silent'], {
    cwd: src,
    env: offlineEnv,
    encoding: 'utf8',
    shell: npm.shell,
  });
  expect(packed.status, packed.stderr).toBe(0);
  fakeTarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('embeddings runtime lookup', () => {
  it('installs the same transformers.js release the tests run', () => {
    expect(pkg.devDependencies[TRANSFORMERS_PACKAGE]).toBe(TRANSFORMERS_VERSION);
    expect(findTransformers()).toMatchObject({ source: 'node_modules', version: TRANSFORMERS_VERSION });
  });

  it('without the runtime anywhere: not found, and loading fails with EMBEDDER_UNAVAILABLE naming the command', async () => {
    const nowhere = mkdtempSync(join(tmp, 'nowhere-'));
    const options = { runtimeDir: join(nowhere, 'runtime'), resolveFrom: join(nowhere, 'x.js') };
    expect(findTransformers(options)).toBeUndefined();
    const err = await loadTransformers(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRuntimeMissing(err)).toBe(true);
    expect(err).toMatchObject({ code: 'EMBEDDER_UNAVAILABLE', details: { runtime: 'missing', install: 'cairn embeddings install' } });
    expect((err as Error).message).toMatch(/not installed: run "cairn embeddings install" to add @huggingface\/transformers 4\.3\.1 under .*runtime/);
  });

  it('a runtime folder whose package does not load is reported as broken, not missing', async () => {
    const runtimeDir = join(tmp, 'broken-runtime');
    fakePackage(join(runtimeDir, 'node_modules', '@huggingface', 'transformers'), "throw new Error('corrupt download');\n");
    expect(findTransformers({ runtimeDir })).toMatchObject({ source: 'home', version: '0.0.0-fake' });
    const err = await loadTransformers({ runtimeDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRuntimeMissing(err)).toBe(false);
    expect(err).toMatchObject({ code: 'EMBEDDER_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/does not load \(corrupt download\); reinstall it with "cairn embeddings install"/);
  });
});

describe('cairn embeddings install (npm, from a packed tarball)', () => {
  it('installs into the runtime folder, which then wins over node_modules; status and remove agree', async () => {
    const runtimeDir = join(tmp, 'home', 'runtime');
    const report = await installRuntime({ runtimeDir, spec: `file:${fakeTarball}`, env: offlineEnv, log: quiet });
    expect(report, npmLog.join('')).toMatchObject({ installed: true, package: TRANSFORMERS_PACKAGE, version: '0.0.0-fake', source: 'home' });
    expect(report.bytes).toBeGreaterThan(0);
    // The runtime folder is searched first, even though the repo's own copy is resolvable.
    const mod = await loadTransformers({ runtimeDir });
    expect(await mod.pipeline()).toBe('fake pipeline');
    expect(runtimeStatus(runtimeDir)).toMatchObject({ installed: true, source: 'home', version: '0.0.0-fake' });

    expect(removeRuntime(runtimeDir)).toBe(true);
    expect(runtimeStatus(runtimeDir)).toMatchObject({ installed: true, source: 'node_modules', version: TRANSFORMERS_VERSION });
    expect(removeRuntime(runtimeDir)).toBe(false);
  });

  it('a failed npm install is EMBEDDER_UNAVAILABLE with npm exit code, and installs nothing', async () => {
    const runtimeDir = join(tmp, 'home2', 'runtime');
    const err = await installRuntime({ runtimeDir, spec: `file:${join(tmp, 'no-such.tgz')}`, env: offlineEnv, log: quiet }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'EMBEDDER_UNAVAILABLE' });
    expect((err as Error).message).toMatch(/npm could not install @huggingface\/transformers .* \(exit code [1-9]\d*;/);
    expect(findTransformers({ runtimeDir, resolveFrom: join(tmp, 'x.js') })).toBeUndefined();
  });
});
