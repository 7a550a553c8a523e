import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, parse } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, namedProjectNamespace, projectNamespace, resolveProject } from '../../src/scope/project.js';
import { readNamespaces, singleScope } from '../../src/scope/types.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-scope-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('project of a folder', () => {
  it('is the git root above it, whichever subfolder a session starts in', () => {
    const repo = join(root, 'shop');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'src', 'cart'), { recursive: true });
    expect(findProjectRoot(join(repo, 'src', 'cart'))).toBe(repo);
    expect(projectNamespace('default', findProjectRoot(join(repo, 'src'))!)).toBe(projectNamespace('default', repo));
  });

  it('counts a linked worktree as its main checkout, and a submodule as its own project', () => {
    const main = join(root, 'app');
    mkdirSync(join(main, '.git', 'worktrees', 'feature'), { recursive: true });
    const wt = join(root, 'app-feature');
    mkdirSync(wt);
    writeFileSync(join(wt, '.git'), `gitdir: ${join(main, '.git', 'worktrees', 'feature')}\n`);
    expect(findProjectRoot(wt)).toBe(main);
    const sub = join(main, 'vendor', 'lib');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, '.git'), 'gitdir: ../../.git/modules/lib\n');
    expect(findProjectRoot(sub)).toBe(sub);
  });

  it('is the folder itself outside git, and no project at the home folder or the filesystem root', () => {
    const plain = join(root, 'notes');
    mkdirSync(plain);
    expect(findProjectRoot(plain)).toBe(plain);
    expect(findProjectRoot(plain, plain)).toBeNull();
    expect(findProjectRoot(parse(root).root)).toBeNull();
    expect(findProjectRoot(join(root, 'no-such-folder'))).toBeNull();
  });

  it('resolves symlinks, so every client names a folder alike', () => {
    const repo = join(root, 'linked-target');
    mkdirSync(join(repo, '.git'), { recursive: true });
    symlinkSync(repo, join(root, 'link'));
    expect(findProjectRoot(join(root, 'link'))).toBe(repo);
  });

  it('names namespaces below the global one: folder name and a hash of the path, within 64 characters', () => {
    const a = projectNamespace('default', '/home/u/code/Shop API');
    expect(a).toMatch(/^default\.shop-api-[0-9a-f]{8}$/);
    expect(projectNamespace('default', '/home/v/code/Shop API')).not.toBe(a);
    const long = projectNamespace('x'.repeat(64), `/p/${'y'.repeat(80)}`);
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
    expect(namedProjectNamespace('alice', 'blog')).toBe('alice.blog');
  });

  it('follows CAIRN_PROJECT: auto derives, off keeps the global namespace alone, a name is used as it is', () => {
    const repo = join(root, 'api');
    mkdirSync(join(repo, '.git'), { recursive: true });
    expect(resolveProject({ mode: 'auto' }, 'default', repo)).toEqual({
      scope: { project: projectNamespace('default', repo), global: 'default' },
      root: repo,
      label: 'api',
    });
    expect(resolveProject({ mode: 'off' }, 'default', repo).scope).toEqual(singleScope('default'));
    expect(resolveProject({ mode: 'named', name: 'blog' }, 'default', repo).scope).toEqual({ project: 'default.blog', global: 'default' });
    expect(readNamespaces({ project: 'default.blog', global: 'default' })).toEqual(['default.blog', 'default']);
    expect(readNamespaces(singleScope('default'))).toEqual(['default']);
  });
});
