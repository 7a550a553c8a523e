import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who is looking: an opaque principal id and the namespace they may see (the token's, never chosen in the UI). */
export interface UiPrincipal {
  id: string;
  namespace: string;
}

/** A browser session, made by a login (or, without tokens, on the first visit). */
export interface UiSession {
  principal: UiPrincipal;
  /** Every form carries it; a POST without it is refused (CSRF). */
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

/** Options of {@link createGate}. */
export interface GateOptions {
  /**
   * Checks a presented token and returns its principal, or null. Absent: no login (loopback
   * without tokens) and every visitor is `open`.
   */
  login?: (token: string) => UiPrincipal | null;
  /** The principal of every visitor when there is no `login`. */
  open?: UiPrincipal;
  now: () => number;
  /** A session unused this long ends. Default 12 h. */
  idleMs?: number;
  /** Sessions kept at most; the least recently used goes first. Default 1000. */
  maxSessions?: number;
}

/** Turns tokens into cookie sessions and checks CSRF tokens. */
export interface Gate {
  /** True when a token must be exchanged before anything but the login page is shown. */
  readonly loginRequired: boolean;
  /** The session a cookie value names, if it is live (and marks it used). */
  session(id: string | undefined): UiSession | null;
  /** Exchanges a token for a new session id; null when the token is refused. */
  exchange(token: string): string | null;
  /** A new session for the open principal (no login); null when login is required. */
  openSession(): string | null;
  end(id: string | undefined): void;
  /** Constant-time comparison of a form's CSRF token with the session's. */
  csrfOk(session: UiSession, presented: string | undefined): boolean;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/** Creates a gate. Session ids are kept only as digests, so a dump of memory shows none. */
export function createGate(o: GateOptions): Gate {
  const idleMs = o.idleMs ?? 12 * 3_600_000;
  const max = o.maxSessions ?? 1000;
  if (!o.login && !o.open) throw new Error('createGate: pass login, open, or both');
  const sessions = new Map<string, UiSession>();

  const start = (principal: UiPrincipal): string => {
    const id = token();
    const now = o.now();
    if (sessions.size >= max) sessions.delete(sessions.keys().next().value!);
    sessions.set(digest(id), { principal, csrf: token(), createdAt: now, lastSeen: now });
    return id;
  };

  return {
    loginRequired: Boolean(o.login),
    session(id) {
      if (!id || id.length > 100) return null;
      const key = digest(id);
      const s = sessions.get(key);
      if (!s) return null;
      const now = o.now();
      if (now - s.lastSeen > idleMs) {
        sessions.delete(key);
        return null;
      }
      s.lastSeen = now;
      // Re-insert so the map's order is least recently used first.
      sessions.delete(key);
      sessions.set(key, s);
      return s;
    },
    exchange(presented) {
      if (!o.login || presented.length === 0 || presented.length > 512) return null;
      const principal = o.login(presented);
      return principal ? start(principal) : null;
    },
    openSession: () => (o.login || !o.open ? null : start(o.open)),
    end(id) {
      if (id) sessions.delete(digest(id));
    },
    csrfOk(session, presented) {
      if (!presented) return false;
      const a = Buffer.from(digest(presented));
      const b = Buffer.from(digest(session.csrf));
      return timingSafeEqual(a, b);
    },
  };
}

/**
 * A login that accepts `secret` once (for `cairn ui`): the first exchange spends it, so a URL
 * copied from a terminal or a browser history opens nothing later.
 */
export function oneTimeLogin(secret: string, principal: UiPrincipal): (token: string) => UiPrincipal | null {
  const want = createHash('sha256').update(secret).digest();
  let spent = false;
  return (presented) => {
    const ok = timingSafeEqual(want, createHash('sha256').update(presented).digest());
    if (!ok || spent) return null;
    spent = true;
    return principal;
  };
}
