import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATOR_COMMANDS } from '../../src/commands/index.js';
import type { Check } from '../../src/ops/doctor.js';
import { tempHome } from '../helpers/client.js';
import { cairn, cliEnv } from './run.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempHome('cairn-usage-');
  homes.push(h);
  return h;
};
const TOKEN = 'a-long-enough-secret-token-1234';

describe('help and exit codes', () => {
  it('prints --help for every command with exit code 0', async () => {
    const h = home();
    for (const c of OPERATOR_COMMANDS) {
      const args = c.name === 'serve-http' ? ['serve', '--http', '--help'] : [c.name, '--help'];
      const r = await cairn(args, cliEnv(h));
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, c.name).toMatch(/^Usage: cairn /);
      expect(r.stdout, c.name).toMatch(/Exit codes/);
    }
    const all = await cairn(['help'], cliEnv(h));
    for (const c of OPERATOR_COMMANDS) expect(all.stdout).toContain(c.usage);
    expect((await cairn(['help', 'backup'], cliEnv(h))).stdout).toMatch(/^Usage: cairn backup PATH/);
  });

  it('exits 2 with one line naming the setting for bad HTTP configuration, never echoing a token', async () => {
    const h = home();
    const cases: Array<[Record<string, string>, string[], RegExp]> = [
      [{ CAIRN_HTTP_PORT: 'eighty' }, ['serve', '--http'], /CAIRN_HTTP_PORT="eighty" is invalid/],
      [{}, ['serve', '--http', '--port', '70000'], /--port="70000" is invalid: must be an integer 0–65535/],
      [{ CAIRN_TOKENS: 'short=team' }, ['serve', '--http'], /CAIRN_TOKENS entry 1 is invalid: token must be at least 16 characters/],
      [{ CAIRN_TOKENS: `${TOKEN}=bad namespace!` }, ['serve', '--http'], /CAIRN_TOKENS entry 1 is invalid: namespace "bad namespace!"/],
      [{ CAIRN_TOKENS: `${TOKEN}=a,${TOKEN}=b` }, ['serve', '--http'], /CAIRN_TOKENS entry 2 is invalid: token repeats an earlier entry/],
      [{ CAIRN_TOKENS: '@/no/such/tokens.txt' }, ['serve', '--http'], /CAIRN_TOKENS: cannot read token file \/no\/such\/tokens.txt \(ENOENT\)/],
      [{ CAIRN_RATE_WRITES: '-1' }, ['serve', '--http'], /CAIRN_RATE_WRITES="-1" is invalid: must be ≥ 0/],
      [{ CAIRN_HTTP_ALLOWED_ORIGINS: 'evil' }, ['serve', '--http'], /CAIRN_HTTP_ALLOWED_ORIGINS="evil" is invalid/],
      [{}, ['serve', '--http', '--host', '0.0.0.0'], /refusing to serve on 0.0.0.0 without authentication: set CAIRN_TOKENS/],
    ];
    for (const [env, args, pattern] of cases) {
      const r = await cairn(args, cliEnv(h, env));
      expect(r.code, JSON.stringify(env)).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toContain(TOKEN);
    }
  });

  it('reads tokens from a file with comments', async () => {
    const h = home();
    const file = join(h, 'tokens.txt');
    writeFileSync(file, `# team tokens\n${TOKEN}=team-a\n\nshort=x\n`);
    const r = await cairn(['serve', '--http'], cliEnv(h, { CAIRN_TOKENS: `@${file}` }));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`CAIRN_TOKENS file ${file} entry 2 is invalid`));
  });

  it('answers usage errors with exit code 2 and a pointer to --help', async () => {
    const h = home();
    for (const args of [['import'], ['backup'], ['restore'], ['cache'], ['cache', 'shrink'], ['restore', join(h, 'missing.db')]]) {
      const r = await cairn(args, cliEnv(h));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/run "cairn \w+ --help"/);
    }
  });
});

describe('operator commands', () => {
  it('doctor, stats, health and cache work on a fresh home', async () => {
    const h = home();
    const d = await cairn(['doctor', '--json'], cliEnv(h));
    expect(d.code, d.stdout + d.stderr).toBe(0);
    const checks = JSON.parse(d.stdout).checks as Array<{ name: string; status: string }>;
    expect(checks.map((c) => c.name)).toEqual(['node', 'config', 'home', 'disk', 'servers', 'database', 'writes', 'cache', 'embedder']);
    expect(checks.every((c) => c.status !== 'fail')).toBe(true);
    const text = await cairn(['doctor'], cliEnv(h));
    expect(text.stdout).toMatch(/^✓ database +.*schema \d+; quick_check ok/m);

    const stats = JSON.parse((await cairn(['stats'], cliEnv(h))).stdout);
    expect(stats.tables).toMatchObject({ memories: 0, episodes: 0, episode_steps: 0 });
    const health = await cairn(['health'], cliEnv(h));
    expect(health.code, health.stderr).toBe(0);
    expect(JSON.parse(health.stdout).status).toMatch(/healthy|degraded/);
    const verify = await cairn(['cache', 'verify'], cliEnv(h));
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ bad: 0 });
    expect((await cairn(['cache', 'clear'], cliEnv(h))).code).toBe(0);
  });

  it('doctor warns when the model is not downloaded and fails when transformers is required offline', async () => {
    const h = home();
    const warn = await cairn(['doctor', '--json'], cliEnv(h, { CAIRN_EMBEDDINGS: 'auto' }));
    expect(warn.code, warn.stderr).toBe(0);
    expect((JSON.parse(warn.stdout) as { checks: Check[] }).checks.find((c) => c.name === 'embedder')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/not downloaded yet.*prefetch-model/) });
    const fail = await cairn(['doctor'], cliEnv(h, { CAIRN_EMBEDDINGS: 'transformers', CAIRN_OFFLINE: '1' }));
    expect(fail.code, fail.stderr).toBe(1);
    expect(fail.stdout).toMatch(/^✗ embedder .*CAIRN_OFFLINE=1/m);
  });

  it('prefetch-model explains itself without touching the network when offline or the model is local', async () => {
    const h = home();
    const offline = await cairn(['prefetch-model'], cliEnv(h, { CAIRN_OFFLINE: '1' }));
    expect(offline.code, offline.stderr).toBe(1);
    expect(offline.stderr).toMatch(/CAIRN_OFFLINE=1 forbids downloads/);
    const missing = await cairn(['prefetch-model'], cliEnv(h, { CAIRN_MODEL_DIR: join(h, 'no-models') }));
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toMatch(/no model at .*config.json missing/);
  });
});
