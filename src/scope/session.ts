import { homedir } from 'node:os';
import type { ProjectMode } from '../config/hooks.js';
import { scopeFor } from './project.js';
import type { NamespaceScope } from './types.js';

/** Where a session may learn its project folder, most explicit first. */
export interface ProjectSources {
  /** The folder the client names (`CLAUDE_PROJECT_DIR`). */
  projectDir?: string;
  /** The client's MCP roots as paths (empty when it offers none). */
  roots: () => Promise<string[]>;
  /** The folder the server was started in. */
  cwd: string;
  /** The user's home folder, which is no project. Default `os.homedir()`. */
  home?: string;
}

/**
 * The scope of an MCP session: with `CAIRN_PROJECT=auto` the project folder is the client's
 * `CLAUDE_PROJECT_DIR`, else its first root, else the folder the server started in; roots are asked
 * for only when needed, and a client that fails to answer counts as offering none.
 */
export async function sessionScope(mode: ProjectMode, global: string, sources: ProjectSources): Promise<NamespaceScope> {
  const home = sources.home ?? homedir();
  if (mode.mode !== 'auto') return scopeFor(mode, global, null, home);
  const dir = sources.projectDir ?? (await sources.roots().catch(() => []))[0] ?? sources.cwd;
  return scopeFor(mode, global, dir, home);
}
