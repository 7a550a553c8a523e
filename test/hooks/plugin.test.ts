import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../../src/hooks/events.js';
import { fixture, type HookWorld, hookWorld } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Claude Code's placeholder for the plugin's folder, as the manifest writes it. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder, not a template
const PLUGIN_ROOT = '${CLAUDE_PLUGIN_ROOT}';
const manifest = JSON.parse(readFileSync(`${ROOT}.claude-plugin/plugin.json`, 'utf8')) as {
  name: string;
  hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ type: string; command: string; args: string[]; timeout: number }> }>>;
  mcpServers: Record<string, { command: string; args: string[] }>;
};
const marketplace = JSON.parse(readFileSync(`${ROOT}.claude-plugin/marketplace.json`, 'utf8')) as {
  name: string;
  owner: { name: string };
  plugins: Array<{ name: string; source: string }>;
};

/** Runs a hook handler of the manifest as Claude Code would: exec form, ${CLAUDE_PLUGIN_ROOT} substituted, payload on stdin. */
function runHandler(h: { command: string; args: string[] }, payload: unknown, env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const args = h.args.map((a) => a.replaceAll(PLUGIN_ROOT, ROOT.replace(/\/$/, '')));
  return new Promise((resolve, reject) => {
    const child = spawn(h.command === 'node' ? process.execPath : h.command, args, {
      env: { ...env, CLAUDE_PLUGIN_ROOT: ROOT },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    child.stdin.end(JSON.stringify(payload));
  });
}

describe('the Claude Code plugin in .claude-plugin/', () => {
  let w: HookWorld;
  beforeAll(() => {
    w = hookWorld();
  });
  afterAll(() => w.remove());

  it('wires every event cairn hook answers, in exec form through the plugin’s launcher, with a timeout', () => {
    expect(manifest.name).toBe('cairn');
    expect(Object.keys(manifest.hooks).sort()).toEqual([...HOOK_EVENTS].sort());
    for (const [event, groups] of Object.entries(manifest.hooks)) {
      expect(groups).toHaveLength(1);
      const [handler] = groups[0]!.hooks;
      expect(handler).toMatchObject({ type: 'command', command: 'node', args: [`${PLUGIN_ROOT}/.claude-plugin/cairn.mjs`, 'hook', event] });
      expect(handler!.timeout).toBeGreaterThan(0);
      // Claude Code gives SessionEnd hooks 1.5 s in all; plugin timeouts do not raise it.
      if (event === 'SessionEnd') expect(handler!.timeout).toBeLessThanOrEqual(2);
    }
    expect(manifest.mcpServers.cairn).toEqual({ command: 'node', args: [`${PLUGIN_ROOT}/.claude-plugin/cairn.mjs`] });
  });

  it('is listed by the marketplace at the repository root', () => {
    expect(marketplace).toMatchObject({ name: 'cairn', owner: { name: expect.any(String) }, plugins: [{ name: 'cairn', source: './' }] });
  });

  it('answers the recorded payloads through the manifest’s own commands', async () => {
    const start = await runHandler(manifest.hooks.SessionStart![0]!.hooks[0]!, fixture('session-start', { cwd: w.project }), w.env());
    expect(start.code).toBe(0);
    expect(JSON.parse(start.stdout).hookSpecificOutput).toMatchObject({
      hookEventName: 'SessionStart',
      additionalContext: expect.stringContaining('project shop-api'),
    });
    for (const event of ['PostToolUse', 'Stop', 'SessionEnd'] as const) {
      const name = event === 'PostToolUse' ? 'post-tool-use-bash' : event === 'Stop' ? 'stop' : 'session-end';
      expect(await runHandler(manifest.hooks[event]![0]!.hooks[0]!, fixture(name, { cwd: w.project, session_id: 'plugin-1' }), w.env())).toEqual({
        code: 0,
        stdout: '',
      });
    }
  });
});
