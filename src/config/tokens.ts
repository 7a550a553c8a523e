import { readFileSync } from 'node:fs';
import { CairnError } from '../errors.js';

/** One bearer token and the namespace its sessions are bound to. */
export interface TokenEntry {
  token: string;
  namespace: string;
}

const NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// RFC 6750 token68 characters; `=` may only pad the end, so the last `=` separates the namespace.
const TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
/** Shortest token accepted: 16 characters keeps guessing out of reach of any rate limit. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Parses `CAIRN_TOKENS`: `token=namespace` entries separated by commas or new lines, or `@path` to
 * read them from a file (lines starting with `#` are comments). Error messages name the entry by
 * position and never echo a token.
 */
export function parseTokenSpec(spec: string, source = 'CAIRN_TOKENS', readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): TokenEntry[] {
  let text = spec.trim();
  let where = source;
  if (text.startsWith('@')) {
    const path = text.slice(1).trim();
    try {
      text = readFile(path);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'unreadable';
      throw new CairnError('CONFIG_INVALID', `${source}: cannot read token file ${path} (${code})`);
    }
    where = `${source} file ${path}`;
  }
  const entries = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (entries.length === 0) throw new CairnError('CONFIG_INVALID', `${where} is invalid: no entries; expected token=namespace[,token=namespace…]`);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const eq = entry.lastIndexOf('=');
    const token = eq > 0 ? entry.slice(0, eq).trim() : '';
    const namespace = eq > 0 ? entry.slice(eq + 1).trim() : '';
    const bad = (why: string) => new CairnError('CONFIG_INVALID', `${where} entry ${i + 1} is invalid: ${why}`);
    if (!token || !namespace) throw bad('expected token=namespace');
    if (!TOKEN.test(token)) throw bad('token may contain only letters, digits and - . _ ~ + /');
    if (token.length < MIN_TOKEN_LENGTH) throw bad(`token must be at least ${MIN_TOKEN_LENGTH} characters (generate one with: openssl rand -hex 32)`);
    if (!NAMESPACE.test(namespace)) throw bad(`namespace ${JSON.stringify(namespace)} must be 1–64 characters of letters, digits, dot, dash or underscore`);
    if (seen.has(token)) throw bad('token repeats an earlier entry');
    seen.add(token);
    return { token, namespace };
  });
}
