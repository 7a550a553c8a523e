import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OPERATOR_COMMANDS } from '../../src/commands/index.js';
import { VALUE_FLAGS } from '../../src/config/index.js';
import type { Check } from '../../src/ops/doctor.js';
import { tempHome } from '../helpers/client.js';
import { CLI } from '../helpers/stdio.js';
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

describe('flags', () => {
  it('refuses an unknown flag with exit code 2, naming it and the accepted ones, before doing anything', async () => {
    const h = home();
    const bogus = await cairn(['export', '--bogus'], cliEnv(h));
    expect(bogus.code).toBe(2);
    expect(bogus.stdout).toBe('');
    expect(bogus.stderr.trim()).toBe(
      'cairn export: unknown flag --bogus; accepted: --out FILE, --namespace NAME, --home DIR, --help, --version; run "cairn export --help"',
    );
    const typo = await cairn(['import', 'f.jsonl', '--strikt'], cliEnv(h));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown flag --strikt \(did you mean --strict\?\)/);
    const short = await cairn(['stats', '-n'], cliEnv(h));
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/unknown flag -n;/);
    for (const args of [['serve', '--port', '80'], ['--verbose'], ['backup', 'x.db', '--out', 'y']]) {
      const r = await cairn(args, cliEnv(h));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/unknown flag --/);
    }
  });

  it('refuses a flag missing its value, a switch given one, and --namespace where it does not apply', async () => {
    const h = home();
    const cases: Array<[string[], RegExp]> = [
      [['export', '--out'], /cairn export: --out needs a value \(--out FILE\)/],
      [['import', 'f', '--format'], /--format needs a value \(--format F\)/],
      [['stats', '--namespace'], /--namespace needs a value \(--namespace NAME\)/],
      [['health', '--home='], /--home needs a value \(--home DIR\)/],
      [['backup', 'x.db', '--force=yes'], /--force takes no value \(got --force=yes\)/],
      [['backup', 'x.db', '--namespace', 'team'], /--namespace does not apply to "backup": it works on every namespace/],
      [['cache', 'verify', '--namespace', 'team'], /--namespace does not apply to "cache"/],
      [['restore', 'x.db', '--namespace', 'team'], /--namespace does not apply to "restore"/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cairn(args, cliEnv(h));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('help lists exactly the flags a command accepts', async () => {
    const h = home();
    for (const c of OPERATOR_COMMANDS) {
      const args = c.name === 'serve-http' ? ['serve', '--http', '--help'] : [c.name, '--help'];
      const help = (await cairn(args, cliEnv(h))).stdout;
      const offered = new Set([...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]));
      const declared = new Set([...c.flags.map((f) => f.name).filter((n) => n !== 'http'), 'home']);
      expect(offered, c.name).toEqual(declared);
      for (const f of c.flags) if (f.value) expect(VALUE_FLAGS.has(f.name), `${c.name} --${f.name}`).toBe(true);
    }
    for (const name of ['backup', 'restore', 'cache']) expect((await cairn([name, '--help'], cliEnv(h))).stdout).not.toContain('--namespace');
  });
});

describe('operator commands', () => {
  it('health prints its JSON report with the error when the database is unreachable', async () => {
    const h = home();
    const r = await cairn(['health'], cliEnv(h, { CAIRN_DB_URL: 'http://127.0.0.1:1' }));
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ status: 'unhealthy', namespace: 'default', primary: { ok: false, url: 'http://127.0.0.1:1', error: expect.any(String) } });
    expect(report.primary.error.length).toBeGreaterThan(0);
    expect(report.problems).toEqual([`database unreachable: ${report.primary.error}`]);
  });

  it('export into a pipe closed early stops quietly with exit code 0', async () => {
    const h = home();
    const file = join(h, 'memory.jsonl');
    const observations = Array.from({ length: 2000 }, (_, i) => `observation ${i} padded with a sentence long enough to make the export large`);
    writeFileSync(file, JSON.stringify({ type: 'entity', name: 'Big', entityType: 'thing', observations }));
    expect((await cairn(['import', file], cliEnv(h))).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'export'], { env: cliEnv(h), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Like `cairn export | head -c 3000`: read a little, then close the reading end.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });

  it('config errors are plain words on one line, exit code 2', async () => {
    const h = home();
    const r = await cairn(['stats'], cliEnv(h, { CAIRN_CHECKIN_MINUTES: 'abc' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('cairn: CAIRN_CHECKIN_MINUTES="abc" is invalid: must be a whole number of minutes from 0 to 1440\n');
  });

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
    expect(JSON.parse(verify.stdout)).toMatchObject({ state: 'ok', corrupt: 0 });
    expect((await cairn(['cache', 'clear'], cliEnv(h))).code).toBe(0);
  });

  it('doctor warns when the model is not downloaded and fails when transformers is required offline', async () => {
    const h = home();
    const warn = await cairn(['doctor', '--json'], cliEnv(h, { CAIRN_EMBEDDINGS: 'auto' }));
    expect(warn.code, warn.stderr).toBe(0);
    expect((JSON.parse(warn.stdout) as { checks: Check[] }).checks.find((c) => c.name === 'embedder')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/not downloaded yet.*prefetch-model/),
    });
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
