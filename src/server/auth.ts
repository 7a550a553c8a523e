import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenEntry } from '../config/tokens.js';

/** Who a request is: a token's opaque id (never the token) and its namespace. */
export interface Principal {
  /** Stable id for rate limits, sessions and logs: `t1`, `t2`, … in configuration order, or `local`. */
  id: string;
  namespace: string;
}

/** Outcome of checking an `Authorization` header. */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: 'missing' | 'invalid' };

/** Checks bearer tokens. */
export interface Authenticator {
  /** True when tokens are configured and every request must carry one. */
  readonly required: boolean;
  check(authorization: string | undefined): AuthResult;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer-token authentication. Tokens are kept only as SHA-256 digests and compared with
 * `timingSafeEqual` against every configured digest (no early exit), so neither the match nor its
 * position leaks through timing. Without tokens every request is the `local` principal bound to
 * `fallbackNamespace` (only allowed on loopback; the server enforces that).
 */
export function createAuthenticator(tokens: readonly TokenEntry[], fallbackNamespace: string): Authenticator {
  const entries = tokens.map((t, i) => ({ hash: digest(t.token), principal: { id: `t${i + 1}`, namespace: t.namespace } }));
  const local: AuthResult = { ok: true, principal: { id: 'local', namespace: fallbackNamespace } };
  return {
    required: entries.length > 0,
    check(authorization) {
      if (entries.length === 0) return local;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!m) return { ok: false, reason: 'missing' };
      const presented = digest(m[1]!);
      let found: Principal | undefined;
      for (const e of entries) if (timingSafeEqual(e.hash, presented) && !found) found = e.principal;
      return found ? { ok: true, principal: found } : { ok: false, reason: 'invalid' };
    },
  };
}
