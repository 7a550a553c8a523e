import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectNamespace } from '../../src/scope/project.js';
import { type CliResult, cairn, cliEnv } from '../cli/run.js';

/** A fixture payload (test/hooks/fixtures/<name>.json) with some fields replaced. */
export function fixture(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...base, ...overrides };
}

/** Runs `cairn hook …args` with `payload` on stdin (an object is sent as JSON). */
export function runHook(args: string[], payload: unknown, env: Record<string, string>): Promise<CliResult> {
  return cairn(['hook', ...args], env, typeof payload === 'string' ? payload : JSON.stringify(payload));
}

/** A data folder and a git project folder (with `.git`) for hook tests, removed by `remove`. */
export interface HookWorld {
  home: string;
  project: string;
  /** The project's namespace below `default`. */
  ns: string;
  env: (extra?: Record<string, string>) => Record<string, string>;
  /** Stops the background Cairn (if any) and removes the folders. */
  remove(): Promise<void>;
}

/** Creates a {@link HookWorld}; its environment keeps the background Cairn for 2 minutes without hooks. */
export function hookWorld(extra: Record<string, string> = {}): HookWorld {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cairn-hooks-')));
  const home = join(root, 'home');
  const project = join(root, 'work', 'shop-api');
  mkdirSync(join(project, '.git'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const env = (more: Record<string, string> = {}) => cliEnv(home, { CAIRN_HOOK_IDLE_SECONDS: '120', ...extra, ...more });
  return {
    home,
    project,
    ns: projectNamespace('default', project),
    env,
    async remove() {
      await cairn(['hook', '--stop'], env());
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The rows of `cairn export --namespace ns`, by table. */
export async function exportRows(world: HookWorld, ns = world.ns): Promise<{ text: string; rows: Record<string, Array<Record<string, unknown>>> }> {
  const out = await cairn(['export', '--namespace', ns], world.env());
  const rows: Record<string, Array<Record<string, unknown>>> = {};
  for (const line of out.stdout.split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { type: string; table?: string; data?: Record<string, unknown> };
    if (r.type === 'row' && r.table && r.data) rows[r.table] = [...(rows[r.table] ?? []), r.data];
  }
  return { text: out.stdout, rows };
}

/** Tokens as Cairn counts them (UTF-8 bytes ÷ 4, rounded up). */
export const tokensOf = (text: string) => Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
