import { mapStrings } from './private-tags.js';

/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets recognisable by their shape, each replaced by `[REDACTED]` (a key name or prefix before
 * the secret is kept, so a reader still sees what was there). Order matters: whole blocks first.
 */
const SHAPES: Array<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
  // PEM private keys (RSA, EC, OPENSSH, PGP…), to their END line or the end of the text.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, REDACTED],
  // JSON Web Tokens: three base64url parts, the first two JSON objects.
  [/\beyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}/g, REDACTED],
  // Authorization headers: Bearer / Basic / Token credentials.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Credentials inside URLs: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  // AWS access key ids.
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/g, REDACTED],
  // Provider tokens with a known prefix: GitHub, Slack, OpenAI/Anthropic-style sk-, Stripe, Google, npm, GitLab.
  [
    /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}|AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36}|glpat-[A-Za-z0-9_-]{20,})/g,
    REDACTED,
  ],
  // key = value, key: value and "key": "value" where the key names a secret (quotes kept).
  [
    /((?:["']?)[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|authorization|auth(?![a-z]))[A-Za-z0-9_.-]*["']?\s*(?::|=>|=)\s*)(?!\[REDACTED\]|(?:Bearer|Basic|Token)\s)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}\]]+)/gi,
    (_m: string, key: string, value: string) => `${key}${/^["']/.test(value) ? `${value[0]}${REDACTED}${value[0]}` : REDACTED}`,
  ],
  // A password named in prose: "the password is hunter2" (a value with a digit or a symbol, so "password reset" stays).
  [/\b(pass(?:word|phrase)|passwd)(\s+(?:is\s+|was\s+)?)(?=[A-Za-z0-9!@#$%^&*_+\-/~]*[0-9!@#$%^&*_+\-/~])[A-Za-z0-9!@#$%^&*_+\-/~]{6,}/gi, `$1$2${REDACTED}`],
  // Command-line flags that take a secret: --password x, --token=x.
  [/(--?(?:password|passwd|token|secret|api-key|apikey|access-key|private-key)(?:=|\s+))(?:"[^"]*"|'[^']*'|\S+)/gi, `$1${REDACTED}`],
];

/** Object keys whose values are secrets whatever they look like. */
const SECRET_KEY = /password|passwd|^pwd$|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|authorization|^auth$|cookie/i;

/** Replaces every recognisable secret in `text` with `[REDACTED]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement as (match: string, ...groups: string[]) => string);
  return out;
}

/** Shortens `text` to at most `max` characters, marking the cut with `…`. */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A JSON value with secrets removed and sizes bounded: values under a secret-sounding key are
 * replaced whole, every string is redacted and capped at `maxString` characters, nesting beyond
 * `maxDepth` and arrays beyond `maxItems` are cut.
 */
export function redactDeep(value: unknown, limits: { maxString?: number; maxDepth?: number; maxItems?: number } = {}): unknown {
  const maxString = limits.maxString ?? 300;
  const maxDepth = limits.maxDepth ?? 4;
  const maxItems = limits.maxItems ?? 20;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return capText(redactSecrets(v), maxString);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return Array.isArray(v) ? `[${v.length} items]` : '{…}';
    if (Array.isArray(v)) {
      const items = v.slice(0, maxItems).map((x) => walk(x, depth + 1));
      return v.length > maxItems ? [...items, `… ${v.length - maxItems} more`] : items;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).slice(0, maxItems)) out[k] = SECRET_KEY.test(k) && x !== null && x !== '' ? REDACTED : walk(x, depth + 1);
    return out;
  };
  return walk(value, 0);
}

/** `redactSecrets` over every string of a JSON value, sizes untouched. */
export function redactSecretsDeep<T>(value: T): T {
  return mapStrings(value, redactSecrets) as T;
}
