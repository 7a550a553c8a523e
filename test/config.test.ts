import { describe, expect, it } from 'vitest';
import { parseArgv, resolveConfig } from '../src/config/index.js';

describe('resolveConfig', () => {
  it('fills defaults from HOME and XDG_DATA_HOME', () => {
    const c = resolveConfig({ HOME: '/home/ada' }, []);
    expect(c).toMatchObject({
      home: '/home/ada/.local/share/cairn',
      dbUrl: 'file:/home/ada/.local/share/cairn/cairn.db',
      namespace: 'default',
      logLevel: 'info',
      embeddings: 'auto',
      command: 'serve',
      timeMultiplier: 2.5,
    });
    expect(c.toolsets).toEqual(['memory', 'episodes', 'patterns', 'adhd', 'sandbox', 'ops']);
    expect(resolveConfig({ HOME: '/h', XDG_DATA_HOME: '/xdg' }, []).home).toBe('/xdg/cairn');
    expect(c.curateMinutes).toBe(60);
    expect(c.curateSimilarity).toBeUndefined();
    expect(resolveConfig({ HOME: '/h', CAIRN_CURATE_MINUTES: '0', CAIRN_CURATE_SIMILARITY: '0.9' }, [])).toMatchObject({
      curateMinutes: 0,
      curateSimilarity: 0.9,
    });
    expect(c.maxReplyTokens).toBe(6000);
    expect(resolveConfig({ HOME: '/h', CAIRN_MAX_REPLY_TOKENS: '20000' }, []).maxReplyTokens).toBe(20_000);
  });

  it('defaults the time zone to the system zone, also in a copy of the config', () => {
    const system = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const c = resolveConfig({ HOME: '/h' }, []);
    expect(c.timeZone).toBe(system);
    expect({ ...c }.timeZone).toBe(system);
    expect(JSON.parse(JSON.stringify(c)).timeZone).toBe(system);
    expect(resolveConfig({ HOME: '/h', CAIRN_TZ: 'Asia/Tokyo' }, []).timeZone).toBe('Asia/Tokyo');
  });

  it('reads every CAIRN_ variable and lets flags override home and namespace', () => {
    const c = resolveConfig(
      {
        CAIRN_HOME: '/data',
        CAIRN_DB_URL: 'libsql://db.example.org',
        CAIRN_DB_AUTH_TOKEN: 'tok',
        CAIRN_NAMESPACE: 'team-a',
        CAIRN_TOOLSETS: 'memory, ops',
        CAIRN_LOG_LEVEL: 'debug',
        CAIRN_EMBEDDINGS: 'hashing',
        CAIRN_TZ: 'Europe/Berlin',
        CAIRN_TIME_MULTIPLIER: '1.8',
      },
      ['serve', '--namespace', 'team-b', '--home=/other'],
    );
    expect(c).toMatchObject({
      home: '/other',
      dbUrl: 'libsql://db.example.org',
      dbAuthToken: 'tok',
      namespace: 'team-b',
      toolsets: ['memory', 'ops'],
      logLevel: 'debug',
      embeddings: 'hashing',
      timeZone: 'Europe/Berlin',
      timeMultiplier: 1.8,
    });
  });

  it.each([
    [{ CAIRN_LOG_LEVEL: 'loud' }, /^CAIRN_LOG_LEVEL="loud" is invalid: .*debug/],
    [{ CAIRN_TOOLSETS: 'memory,telepathy' }, /^CAIRN_TOOLSETS=.* unknown telepathy; accepted: memory, episodes/],
    [{ CAIRN_DB_URL: 'postgres://x' }, /^CAIRN_DB_URL=.* must start with file:, libsql:\/\//],
    [{ CAIRN_NAMESPACE: 'has space' }, /^CAIRN_NAMESPACE=.* letters, digits/],
    [{ CAIRN_TZ: 'Mars/Olympus' }, /^CAIRN_TZ=.* IANA time zone/],
    [{ CAIRN_TIME_MULTIPLIER: '4' }, /^CAIRN_TIME_MULTIPLIER="4" is invalid: .*between 1.5 and 3/],
    [{ CAIRN_EMBEDDINGS: 'gpu' }, /^CAIRN_EMBEDDINGS=/],
    [{ CAIRN_MAX_REPLY_TOKENS: '25000' }, /^CAIRN_MAX_REPLY_TOKENS="25000" is invalid: must be a whole number of tokens from 1000 to 20000$/],
    [{ CAIRN_MAX_REPLY_TOKENS: '999' }, /^CAIRN_MAX_REPLY_TOKENS="999" is invalid: must be a whole number of tokens from 1000 to 20000$/],
    [{ CAIRN_MAX_REPLY_TOKENS: '6000.5' }, /^CAIRN_MAX_REPLY_TOKENS="6000.5" is invalid: must be a whole number of tokens/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => resolveConfig({ HOME: '/h', ...env }, [])).toThrow(expect.toBeCairnError('CONFIG_INVALID', message));
    expect(() => resolveConfig({ HOME: '/h', ...env }, [])).not.toThrow(/\n/);
  });

  it.each([
    [{ CAIRN_CHECKIN_MINUTES: 'abc' }, 'CAIRN_CHECKIN_MINUTES="abc" is invalid: must be a whole number of minutes from 0 to 1440'],
    [{ CAIRN_CHECKIN_MINUTES: '2.5' }, 'CAIRN_CHECKIN_MINUTES="2.5" is invalid: must be a whole number of minutes from 0 to 1440'],
    [{ CAIRN_SANDBOX_WORKERS: '0' }, 'CAIRN_SANDBOX_WORKERS="0" is invalid: must be a whole number of workers from 1 to 64'],
    [{ CAIRN_TIME_MULTIPLIER: 'lots' }, 'CAIRN_TIME_MULTIPLIER="lots" is invalid: must be a number from 1.5 to 3'],
    [{ CAIRN_LOG_LEVEL: 'loud' }, 'CAIRN_LOG_LEVEL="loud" is invalid: must be one of debug, info, warn, error, silent'],
    [{ CAIRN_HTTP_PORT: 'eighty' }, 'CAIRN_HTTP_PORT="eighty" is invalid: must be a whole number from 0 to 65535'],
    [{ CAIRN_HTTP_MAX_SESSIONS: '0' }, 'CAIRN_HTTP_MAX_SESSIONS="0" is invalid: must be a whole number from 1 to 100000'],
    [{ CAIRN_SHUTDOWN_GRACE_SECONDS: 'soon' }, 'CAIRN_SHUTDOWN_GRACE_SECONDS="soon" is invalid: must be a number from 0 to 600'],
    [{ CAIRN_CURATE_MINUTES: '-1' }, 'CAIRN_CURATE_MINUTES="-1" is invalid: must be a whole number of minutes from 0 to 10080'],
    [{ CAIRN_CURATE_SIMILARITY: '0.2' }, 'CAIRN_CURATE_SIMILARITY="0.2" is invalid: must be a number from 0.5 to 1'],
    [{ CAIRN_CURATE_SIMILARITY: 'high' }, 'CAIRN_CURATE_SIMILARITY="high" is invalid: must be a number from 0.5 to 1'],
  ])('words %j plainly, never in zod terms', (env, message) => {
    expect(() => resolveConfig({ HOME: '/h', ...env }, [])).toThrow(message);
  });
});

describe('parseArgv', () => {
  it('splits command, positionals and flags', () => {
    expect(parseArgv(['export', '--out', 'f.jsonl', 'x', '--force'])).toEqual({ command: 'export', args: ['x'], flags: { out: 'f.jsonl', force: true } });
    expect(parseArgv([])).toEqual({ command: 'serve', args: [], flags: {} });
  });

  it('marks a value flag without its value, keeps short options and honours --', () => {
    expect(parseArgv(['export', '--out'])).toEqual({ command: 'export', args: [], flags: { out: true } });
    expect(parseArgv(['import', '--format', '--strict', 'f'])).toEqual({ command: 'import', args: ['f'], flags: { format: true, strict: true } });
    expect(parseArgv(['import', '-', '-x', '-h'])).toEqual({ command: 'import', args: ['-'], flags: { '-x': true, help: true } });
    expect(parseArgv(['import', '--', '--weird-name.jsonl'])).toEqual({ command: 'import', args: ['--weird-name.jsonl'], flags: {} });
  });
});
