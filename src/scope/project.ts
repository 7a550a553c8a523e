import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, parse, resolve } from 'node:path';
import type { ProjectMode } from '../config/hooks.js';
import type { NamespaceScope } from './types.js';

/** Longest namespace the stores accept. */
const MAX_NAMESPACE = 64;

/**
 * The project a directory belongs to: the root of its git work tree (a linked worktree counts as
 * its main checkout, so worktrees of one repository share memories), else the directory itself —
 * except the filesystem root and the home folder, which are no project (clients such as Claude
 * Desktop start servers there), and a folder that does not exist. Symlinks are resolved so every
 * client names a folder alike.
 */
export function findProjectRoot(dir: string, home?: string): string | null {
  const start = canonical(dir);
  for (let d = start; ; d = dirname(d)) {
    const git = join(d, '.git');
    if (existsSync(git)) return mainCheckout(d, git);
    if (dirname(d) === d) break;
  }
  if (start === parse(start).root || (home !== undefined && start === canonical(home)) || !existsSync(start)) return null;
  return start;
}

/**
 * The namespace of a project below the global namespace `global`: `<global>.<folder name>-<8 hex
 * of the path>`, so two checkouts named alike stay apart and the owner is visible in the name.
 */
export function projectNamespace(global: string, root: string): string {
  const id = createHash('sha256')
    .update(process.platform === 'win32' ? root.toLowerCase() : root)
    .digest('hex')
    .slice(0, 8);
  const slug =
    basename(root)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 40) || 'project';
  return belowGlobal(global, `${slug}-${id}`);
}

/** The namespace of a project named by `CAIRN_PROJECT=<name>`. */
export function namedProjectNamespace(global: string, name: string): string {
  return belowGlobal(global, name);
}

/** A directory's project: the session scope, the project's root folder and its label (null without a project). */
export interface ProjectInfo {
  scope: NamespaceScope;
  root: string | null;
  label: string | null;
}

/**
 * The project of a session or hook working in `dir`: `CAIRN_PROJECT=off` (or a directory that is
 * no project) keeps the global namespace alone; `auto` derives the project from the directory; a
 * name is used as it is.
 */
export function resolveProject(mode: ProjectMode, global: string, dir: string | null, home?: string): ProjectInfo {
  if (mode.mode === 'named')
    return { scope: { project: namedProjectNamespace(global, mode.name), global }, root: dir ? findProjectRoot(dir, home) : null, label: mode.name };
  const root = mode.mode === 'auto' && dir ? findProjectRoot(dir, home) : null;
  return root
    ? { scope: { project: projectNamespace(global, root), global }, root, label: basename(root) }
    : { scope: { project: global, global }, root: null, label: null };
}

/** The scope alone of {@link resolveProject}. */
export function scopeFor(mode: ProjectMode, global: string, dir: string | null, home?: string): NamespaceScope {
  return resolveProject(mode, global, dir, home).scope;
}

function belowGlobal(global: string, tail: string): string {
  const room = MAX_NAMESPACE - tail.length - 1;
  return `${room > 0 ? global.slice(0, room) : global.slice(0, 8)}.${tail}`.slice(0, MAX_NAMESPACE);
}

function canonical(dir: string): string {
  try {
    return realpathSync.native(resolve(dir));
  } catch {
    return resolve(dir);
  }
}

/** For a linked worktree (`.git` is a file pointing into `<main>/.git/worktrees/<name>`), the main checkout. */
function mainCheckout(dir: string, git: string): string {
  try {
    if (!statSync(git).isFile()) return dir;
    const target = /^gitdir:\s*(.+)$/m.exec(readFileSync(git, 'utf8'))?.[1]?.trim();
    const main = target ? /^(.*)[\\/]\.git[\\/]worktrees[\\/][^\\/]+[\\/]?$/.exec(resolve(dir, target))?.[1] : undefined;
    return main ? canonical(main) : dir;
  } catch {
    return dir;
  }
}
