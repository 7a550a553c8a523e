import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Content-Security-Policy of every dashboard response: scripts, styles and images only from
 * this server (no inline script or style, nothing from a CDN), no plugins, no framing, forms
 * posting only here.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every dashboard response carries. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
}

/**
 * Null when a POST comes from a page of this very server, else why not. Browsers send `Origin`
 * on every POST and `Sec-Fetch-Site` on every request; either one naming another site refuses it
 * (the CSRF token and the SameSite=Strict cookie are the other two locks).
 */
export function crossSiteReason(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin !== undefined && origin !== 'null' && host && origin !== `http://${host}` && origin !== `https://${host}`)
    return `Origin ${origin} is not this server`;
  if (origin === 'null') return 'an opaque Origin cannot post here';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request cannot post here`;
  return null;
}

/** The session cookie's name: per port, so two Cairn servers on one host keep apart sessions. */
export function cookieName(req: IncomingMessage): string {
  const port = /:(\d{1,5})$/.exec(req.headers.host ?? '')?.[1] ?? '80';
  return `cairn_ui_${port}`;
}

/** A cookie's value from the request, if present. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `Set-Cookie` for a session: HttpOnly, SameSite=Strict, only for `/ui`; Secure behind an HTTPS proxy. */
export function sessionCookie(req: IncomingMessage, name: string, value: string | null): string {
  const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
  return value === null
    ? `${name}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0${secure}`
    : `${name}=${value}; Path=/ui; HttpOnly; SameSite=Strict${secure}`;
}
