import { describe, expect, it } from 'vitest';
import { capText, redactDeep, redactSecrets } from '../../src/privacy/redact.js';

describe('redactSecrets', () => {
  it.each([
    ['PEM private key', 'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq0\n-----END RSA PRIVATE KEY----- done', 'key: [REDACTED] done'],
    ['unterminated PEM key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk', '[REDACTED]'],
    ['JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'token [REDACTED]'],
    ['bearer header', 'curl -H "Authorization: Bearer abcdefghijklmnop1234" https://x', 'curl -H "Authorization: Bearer [REDACTED]" https://x'],
    ['URL credentials', 'psql postgres://admin:hunter2@db.local:5432/app', 'psql postgres://admin:[REDACTED]@db.local:5432/app'],
    ['AWS access key id', 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', 'export AWS_ACCESS_KEY_ID=[REDACTED]'],
    ['AWS secret key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED]'],
    ['GitHub token', 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'GITHUB_TOKEN=[REDACTED]'],
    ['Anthropic key', 'ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz', 'ANTHROPIC_API_KEY=[REDACTED]'],
    ['JSON password (quotes kept)', '{"password": "s3cret!", "user": "bob"}', '{"password": "[REDACTED]", "user": "bob"}'],
    ['password flag', 'mysql -u root --password=topsecret db', 'mysql -u root --password=[REDACTED] db'],
    ['password in prose', 'The password is Tr0ub4dor&3.', 'The password is [REDACTED].'],
  ])('redacts a %s', (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    'npm test -- --reporter dot',
    'the author said the secret sauce is good',
    'git commit -m "fix tokenizer"',
    'the password reset flow is broken',
    'password-protected zip',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactDeep', () => {
  it('replaces values under secret-named keys whole, redacts and caps every string, bounds depth and length', () => {
    const out = redactDeep(
      {
        command: 'echo hi',
        env: { API_KEY: 'x123', Cookie: 'a=b' },
        nested: { a: { b: { c: { d: 'deep' } } } },
        list: Array.from({ length: 30 }, (_, i) => i),
        long: 'y'.repeat(500),
      },
      { maxString: 50, maxDepth: 3, maxItems: 20 },
    ) as Record<string, unknown>;
    expect(out.command).toBe('echo hi');
    expect(out.env).toEqual({ API_KEY: '[REDACTED]', Cookie: '[REDACTED]' });
    expect(out.nested).toEqual({ a: { b: '{…}' } });
    expect((out.list as unknown[]).length).toBe(21);
    expect((out.long as string).length).toBe(50);
  });

  it('capText marks a cut with an ellipsis', () => {
    expect(capText('abcdef', 4)).toBe('abc…');
    expect(capText('abc', 4)).toBe('abc');
  });
});
