import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/client.js';
import { exportRows, fixture, type HookWorld, hookWorld, runHook, tokensOf } from './helpers.js';

/** The JSON Claude Code reads from a context hook's stdout. */
interface ContextOutput {
  hookSpecificOutput: { hookEventName: string; additionalContext: string };
}

/** Parses a context hook's stdout, checking it is exactly Claude Code's documented shape. */
function contextOf(stdout: string, event: 'SessionStart' | 'UserPromptSubmit'): string {
  const out = JSON.parse(stdout) as ContextOutput;
  expect(Object.keys(out)).toEqual(['hookSpecificOutput']);
  expect(Object.keys(out.hookSpecificOutput).sort()).toEqual(['additionalContext', 'hookEventName']);
  expect(out.hookSpecificOutput.hookEventName).toBe(event);
  expect(typeof out.hookSpecificOutput.additionalContext).toBe('string');
  return out.hookSpecificOutput.additionalContext;
}

/** Writes memories into the world's namespaces through a second Cairn on the same data folder. */
async function plant(w: HookWorld, items: Array<{ content: string; kind?: string; tags?: string[]; scope?: 'project' | 'global' }>): Promise<void> {
  const s = await startTestServer({ home: w.home, project: w.ns });
  try {
    for (const m of items) await s.call('remember', m);
  } finally {
    await s.close();
  }
}

const NOISE = [
  'The billing service retries webhooks three times with exponential backoff',
  'Our CI runs on GitHub Actions with a matrix of Node 20 and 22',
  'The frontend uses Vite and React with TypeScript strict mode',
  'Product images are stored in an S3 bucket behind CloudFront',
  'Customer support tickets are triaged every morning at nine',
  'Feature flags are managed through a YAML file in the config folder',
  'The search page paginates with cursors, twenty items per page',
  'Invoices are generated as PDF files by a nightly job',
  'Logging goes to stdout in JSON and is shipped by Vector',
  'The mobile app shares its API client with the web frontend',
];

describe('cairn hook with a background Cairn (spawned CLI, recorded payloads)', () => {
  let w: HookWorld;
  beforeAll(async () => {
    w = hookWorld();
    await plant(w, [
      { content: 'Prefers small pull requests with a clear summary', kind: 'preference' },
      { content: 'Decided to keep Postgres for orders instead of moving to DynamoDB', kind: 'note', tags: ['decision'] },
      { content: 'The staging database listens on port 5433 and needs the VPN', kind: 'fact' },
      ...NOISE.map((content) => ({ content, kind: 'fact' })),
    ]);
  });
  afterAll(() => w.remove());

  it('SessionStart: answers in Claude Code’s JSON output with the project pack, within the default budget', async () => {
    const r = await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env());
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const pack = contextOf(r.stdout, 'SessionStart');
    expect(pack).toContain('project shop-api');
    expect(pack).toContain('Prefers small pull requests with a clear summary');
    expect(pack).toContain('Decided to keep Postgres for orders');
    expect(pack).toMatch(/## Preferences[\s\S]*global/);
    expect(tokensOf(pack)).toBeLessThanOrEqual(1500);
  });

  it('SessionStart: keeps the pack within CAIRN_CONTEXT_TOKENS however much there is', async () => {
    await plant(
      w,
      Array.from({ length: 40 }, (_, i) => ({
        content: `Observation ${i}: ${'the warehouse sync job logged a slow batch again '.repeat(6)}`,
        kind: 'observation',
      })),
    );
    const small = await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env({ CAIRN_CONTEXT_TOKENS: '200' }));
    const pack = contextOf(small.stdout, 'SessionStart');
    expect(tokensOf(pack)).toBeLessThanOrEqual(200);
    expect(tokensOf(pack)).toBeGreaterThan(100);
    const full = contextOf((await runHook(['SessionStart'], fixture('session-start', { cwd: w.project }), w.env())).stdout, 'SessionStart');
    expect(tokensOf(full)).toBeLessThanOrEqual(1500);
    expect(tokensOf(full)).toBeGreaterThan(tokensOf(pack));
  });

  it('UserPromptSubmit: brings back the planted fact for a related prompt, within the budget', async () => {
    const r = await runHook(
      ['UserPromptSubmit'],
      fixture('user-prompt-submit', { cwd: w.project, prompt: 'Which port does the staging database use?' }),
      w.env(),
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const context = contextOf(r.stdout, 'UserPromptSubmit');
    expect(context).toContain('The staging database listens on port 5433');
    expect(context).not.toContain('Invoices are generated');
    expect(tokensOf(context)).toBeLessThanOrEqual(600);
    const tight = await runHook(
      ['UserPromptSubmit'],
      fixture('user-prompt-submit', { cwd: w.project, prompt: 'Which port does the staging database use?' }),
      w.env({ CAIRN_PROMPT_TOKENS: '60' }),
    );
    expect(tokensOf(contextOf(tight.stdout, 'UserPromptSubmit'))).toBeLessThanOrEqual(60);
  });

  it('UserPromptSubmit: answers nothing at all for an unrelated prompt', async () => {
    for (const prompt of ['Write a haiku about autumn leaves', fixture('user-prompt-submit').prompt as string]) {
      const r = await runHook(['UserPromptSubmit'], fixture('user-prompt-submit', { cwd: w.project, prompt }), w.env());
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });

  it('PostToolUse and PostToolUseFailure become the steps of the session’s episode; Stop completes it and stores a summary', async () => {
    const session = 'capture-1';
    const at = (name: string, extra: Record<string, unknown>) => fixture(name, { session_id: session, cwd: w.project, ...extra });
    await runHook(['UserPromptSubmit'], at('user-prompt-submit', { prompt: 'Fix the failing checkout test' }), w.env());
    const hooks: Array<[string, Record<string, unknown>]> = [
      ['PostToolUse', at('post-tool-use-bash', { tool_input: { command: 'npm test -- checkout', description: 'Run the checkout tests' } })],
      [
        'PostToolUse',
        at('post-tool-use-write', {
          tool_input: { file_path: join(w.project, 'src', 'checkout.ts'), content: 'export const total = 1;\nexport const tax = 2;\n' },
        }),
      ],
      ['PostToolUseFailure', at('post-tool-use-failure', {})],
      ['PostToolUse', at('post-tool-use-bash', { duration_ms: 950 })],
    ];
    for (const [event, payload] of hooks) expect(await runHook([event], payload, w.env())).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runHook(['Stop'], at('stop', {}), w.env())).toEqual({ code: 0, stdout: '', stderr: '' });

    const { rows } = await exportRows(w);
    const episode = rows.episodes!.find((e) => String(e.tags).includes(`claude-session:${session}`))!;
    expect(episode).toMatchObject({
      task: 'Fix the failing checkout test',
      task_type: 'claude-code',
      domain: 'shop-api',
      status: 'completed',
      outcome_type: 'success',
    });
    const steps = rows.episode_steps!.filter((s) => s.episode_id === episode.id).sort((a, b) => Number(a.step_number) - Number(b.step_number));
    expect(steps.map((s) => [s.tool, s.action, s.result_type, s.latency_ms])).toEqual([
      ['Bash', 'npm test -- checkout', 'success', 4187],
      ['Write', 'write src/checkout.ts', 'success', 12],
      ['Bash', 'npm test', 'error', 4187],
      ['Bash', 'npm test', 'success', 950],
    ]);
    expect(JSON.parse(String(steps[1]!.parameters))).toEqual({ file_path: 'src/checkout.ts', lines: 3 });
    expect(steps[2]!.result_message).toBe("Exit code 1 Error: Cannot find module 'express'");
    const summary = rows.memories!.find((m) => String(m.tags).includes('session-summary') && String(m.source) === `claude-code:${session}`)!;
    expect(summary.kind).toBe('event');
    expect(summary.content).toMatch(/^Claude Code session in shop-api: Fix the failing checkout test\. 4 tool calls/);
    expect(summary.content).toContain('Changed src/checkout.ts');
    expect(summary.content).toContain('1 failed');
    expect(summary.content).toContain('Outcome: success (recovered from 1 failed tool call)');
    expect(summary.content).toContain("Last reply: I've completed the refactoring.");
  });

  it('stores no secret and no private text from any capture path', async () => {
    const session = 'secrets-1';
    const at = (name: string, extra: Record<string, unknown>) => fixture(name, { session_id: session, cwd: w.project, ...extra });
    const secrets = {
      stripe: 'sk_live_51HxQabcdefghijklmnop',
      aws: 'AKIAIOSFODNN7EXAMPLE',
      password: 'correct-horse-battery',
      bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcmRlcnMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
      pem: 'MIIEowIBAAKCAQEA7bq0hQ',
      private: 'my card number is 4111 1111 1111 1111',
    };
    await runHook(
      ['UserPromptSubmit'],
      at('user-prompt-submit', { prompt: `Deploy the orders service <private>${secrets.private}</private> to staging` }),
      w.env(),
    );
    await runHook(
      ['PostToolUse'],
      at('post-tool-use-bash', {
        tool_input: {
          command: `STRIPE_KEY=${secrets.stripe} AWS_ACCESS_KEY_ID=${secrets.aws} mysql --password=${secrets.password} -e 'select 1'`,
          description: 'Check the database',
        },
      }),
      w.env(),
    );
    await runHook(
      ['PostToolUse'],
      at('post-tool-use-write', {
        tool_input: {
          file_path: join(w.project, 'deploy', 'key.pem'),
          content: `-----BEGIN RSA PRIVATE KEY-----\n${secrets.pem}\n-----END RSA PRIVATE KEY-----\n`,
        },
      }),
      w.env(),
    );
    await runHook(
      ['PostToolUse'],
      at('post-tool-use-bash', {
        tool_name: 'mcp__orders__call',
        tool_input: { url: 'https://api.example.com', headers: { Authorization: `Bearer ${secrets.bearer}` } },
      }),
      w.env(),
    );
    await runHook(
      ['PostToolUseFailure'],
      at('post-tool-use-failure', { error: `Exit code 1\ncurl: (22) 401 for Authorization: Bearer ${secrets.bearer} <private>${secrets.private}</private>` }),
      w.env(),
    );
    await runHook(
      ['Stop'],
      at('stop', { last_assistant_message: `Deployed. The password ${secrets.password} was rotated. <private>${secrets.private}</private>` }),
      w.env(),
    );

    const { text, rows } = await exportRows(w);
    for (const [name, secret] of Object.entries(secrets)) expect(text, name).not.toContain(secret);
    expect(text).not.toContain('<private>');
    expect(text).toContain('[REDACTED]');
    const episode = rows.episodes!.find((e) => String(e.tags).includes(`claude-session:${session}`))!;
    expect(episode.task).toBe('Deploy the orders service to staging');
    expect(rows.episode_steps!.filter((s) => s.episode_id === episode.id)).toHaveLength(4);
  });

  it('PreCompact and SessionEnd complete the open episode with the outcome its steps show', async () => {
    const at = (session: string, name: string, extra: Record<string, unknown> = {}) => fixture(name, { session_id: session, cwd: w.project, ...extra });
    await runHook(['PostToolUse'], at('compact-1', 'post-tool-use-bash'), w.env());
    await runHook(['PostToolUseFailure'], at('compact-1', 'post-tool-use-failure'), w.env());
    await runHook(['PreCompact'], at('compact-1', 'pre-compact'), w.env());
    await runHook(['PostToolUseFailure'], at('end-1', 'post-tool-use-failure'), w.env());
    expect(await runHook(['SessionEnd'], at('end-1', 'session-end'), w.env())).toEqual({ code: 0, stdout: '', stderr: '' });
    const { rows } = await exportRows(w);
    const of = (session: string) => rows.episodes!.filter((e) => String(e.tags).includes(`claude-session:${session}`));
    expect(of('compact-1').map((e) => [e.status, e.outcome_type])).toEqual([['completed', 'partial_success']]);
    expect(of('end-1').map((e) => [e.status, e.outcome_type])).toEqual([['completed', 'failure']]);
    expect(rows.memories!.filter((m) => String(m.source) === 'claude-code:compact-1' || String(m.source) === 'claude-code:end-1')).toHaveLength(2);
  });

  it('a prompt after a turn that ended without Stop (the user interrupted) closes that turn’s episode', async () => {
    const at = (name: string, extra: Record<string, unknown> = {}) => fixture(name, { session_id: 'interrupt-1', cwd: w.project, ...extra });
    await runHook(['UserPromptSubmit'], at('user-prompt-submit', { prompt: 'Rename the cart module' }), w.env());
    await runHook(['PostToolUse'], at('post-tool-use-bash'), w.env());
    await runHook(['UserPromptSubmit'], at('user-prompt-submit', { prompt: 'Actually, rename the basket module' }), w.env());
    await runHook(['PostToolUse'], at('post-tool-use-bash'), w.env());
    const { rows } = await exportRows(w);
    const episodes = rows
      .episodes!.filter((e) => String(e.tags).includes('claude-session:interrupt-1'))
      .sort((a, b) => Number(a.started_at) - Number(b.started_at));
    expect(episodes.map((e) => [e.task, e.status])).toEqual([
      ['Rename the cart module', 'completed'],
      ['Actually, rename the basket module', 'open'],
    ]);
  });

  it('records nothing with CAIRN_CAPTURE=off, and still gives context', async () => {
    const at = (name: string, extra: Record<string, unknown> = {}) => fixture(name, { session_id: 'off-1', cwd: w.project, ...extra });
    const off = w.env({ CAIRN_CAPTURE: 'off' });
    expect(await runHook(['PostToolUse'], at('post-tool-use-bash'), off)).toEqual({ code: 0, stdout: '', stderr: '' });
    await runHook(['Stop'], at('stop'), off);
    const { rows } = await exportRows(w);
    expect(rows.episodes!.filter((e) => String(e.tags).includes('claude-session:off-1'))).toEqual([]);
    expect(contextOf((await runHook(['SessionStart'], at('session-start'), off)).stdout, 'SessionStart')).toContain('project shop-api');
  });

  it('takes the event from the payload when the command line names none, and ignores unknown events and bad payloads', async () => {
    const r = await runHook([], fixture('session-start', { cwd: w.project }), w.env());
    expect(contextOf(r.stdout, 'SessionStart')).toContain('project shop-api');
    expect(await runHook(['Notification'], fixture('session-start', { cwd: w.project }), w.env())).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runHook(['UserPromptSubmit'], '{"session_id": 42', w.env())).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runHook(['UserPromptSubmit'], { session_id: 'x', cwd: w.project }, w.env())).toEqual({ code: 0, stdout: '', stderr: '' });
    const log = readFileSync(join(w.home, 'logs', 'hooks.log'), 'utf8');
    expect(log).toContain('unknown hook event');
    expect(log).toContain('UserPromptSubmit payload: prompt');
  });
});

describe('cairn hook when things go wrong', () => {
  it('exits 0 with no output for every event when CAIRN_HOME is not a folder', async () => {
    const w = hookWorld();
    try {
      const file = join(w.home, 'not-a-folder');
      writeFileSync(file, 'x');
      const env = w.env({ CAIRN_HOME: file });
      for (const name of ['session-start', 'user-prompt-submit', 'post-tool-use-bash', 'post-tool-use-failure', 'stop', 'pre-compact', 'session-end']) {
        const r = await runHook([], fixture(name, { cwd: w.project }), env);
        expect({ name, code: r.code, stdout: r.stdout }).toEqual({ name, code: 0, stdout: '' });
      }
    } finally {
      await w.remove();
    }
  });

  it('exits 0 with no output when the database is damaged, logs why, and records spooled events once it is repaired', async () => {
    const w = hookWorld();
    try {
      const db = join(w.home, 'cairn.db');
      writeFileSync(db, 'this is not a database '.repeat(400));
      const at = (name: string, extra: Record<string, unknown> = {}) => fixture(name, { session_id: 'spool-1', cwd: w.project, ...extra });
      for (const name of ['session-start', 'user-prompt-submit', 'post-tool-use-bash'])
        expect(await runHook([], at(name), w.env())).toMatchObject({ code: 0, stdout: '' });
      expect(readFileSync(join(w.home, 'logs', 'hooks.log'), 'utf8')).toContain('the background Cairn could not start');
      expect(readFileSync(join(w.home, 'logs', 'hook-daemon.log'), 'utf8').length).toBeGreaterThan(0);

      writeFileSync(db, '');
      expect(await runHook([], at('post-tool-use-write', { tool_input: { file_path: join(w.project, 'a.ts'), content: 'x' } }), w.env())).toMatchObject({
        code: 0,
        stdout: '',
      });
      await runHook([], at('stop'), w.env());
      const { rows } = await exportRows(w);
      const episode = rows.episodes!.find((e) => String(e.tags).includes('claude-session:spool-1'))!;
      expect(rows.episode_steps!.filter((s) => s.episode_id === episode.id).map((s) => s.tool)).toEqual(['Bash', 'Write']);
    } finally {
      await w.remove();
    }
  });

  it('answers in its own process with CAIRN_HOOK_DAEMON=off, leaving nothing running', async () => {
    const w = hookWorld({ CAIRN_HOOK_DAEMON: 'off' });
    try {
      await plant(w, [{ content: 'The staging database listens on port 5433', kind: 'fact' }]);
      const at = (name: string, extra: Record<string, unknown> = {}) => fixture(name, { session_id: 'inproc-1', cwd: w.project, ...extra });
      expect(contextOf((await runHook([], at('session-start'), w.env())).stdout, 'SessionStart')).toContain('The staging database listens on port 5433');
      expect(contextOf((await runHook([], at('user-prompt-submit', { prompt: 'staging database port?' }), w.env())).stdout, 'UserPromptSubmit')).toContain(
        '5433',
      );
      await runHook([], at('post-tool-use-bash'), w.env());
      await runHook([], at('stop'), w.env());
      const { rows } = await exportRows(w);
      expect(rows.episodes!.filter((e) => String(e.tags).includes('claude-session:inproc-1')).map((e) => e.status)).toEqual(['completed']);
      expect(existsSync(join(w.home, 'logs', 'hook-daemon.log'))).toBe(false);
    } finally {
      await w.remove();
    }
  });
});
