import { z } from 'zod';
import { CairnError } from '../errors.js';
import { parseTokenSpec, type TokenEntry } from './tokens.js';

/** Settings of `cairn serve --http`, resolved once at start-up. */
export interface HttpConfig {
  /** Address to bind (`--host`, `CAIRN_HTTP_HOST`). Default `127.0.0.1`. */
  host: string;
  /** Port (`--port`, `CAIRN_HTTP_PORT`; 0 picks a free one). Default 8765. */
  port: number;
  /** Bearer tokens and their namespaces (`--tokens`, `CAIRN_TOKENS`). Default none (loopback only). */
  tokens: TokenEntry[];
  /** Extra host names accepted in the Host header (`CAIRN_HTTP_ALLOWED_HOSTS`, `*` = any). Default none. */
  allowedHosts: string[];
  /** Extra browser origins accepted (`CAIRN_HTTP_ALLOWED_ORIGINS`, e.g. `https://app.example.com`). Default none. */
  allowedOrigins: string[];
  /** Largest request body in bytes (`CAIRN_HTTP_MAX_BODY_BYTES`). Default 1 MiB. */
  maxBodyBytes: number;
  /** Read-only tool calls per second per token (`CAIRN_RATE_READS`, 0 = unlimited). Default 100, burst 1.5×. */
  rateReads: number;
  /** Other tool calls per second per token (`CAIRN_RATE_WRITES`, 0 = unlimited). Default 20, burst 1.5×. */
  rateWrites: number;
  /** A session without requests for this long is closed (`CAIRN_SESSION_IDLE_SECONDS`). Default 1800 s. */
  sessionIdleMs: number;
  /** Open sessions at most (`CAIRN_HTTP_MAX_SESSIONS`); more get 503. Default 1000. */
  maxSessions: number;
  /** Open sessions per token at most (`CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN`); more get 429, so one client cannot use up `maxSessions`. Default 100 (at most `maxSessions`). */
  maxSessionsPerToken: number;
  /** Time allowed to send a request's headers (`CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS`); slower connections get 408 and are closed. Default 10 s. */
  headersTimeoutMs: number;
  /** Time allowed to send a whole request, headers and body (`CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS`); at least the headers timeout. Default 30 s. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection may wait for its next request (`CAIRN_HTTP_KEEPALIVE_TIMEOUT_SECONDS`). Default 5 s. */
  keepAliveTimeoutMs: number;
  /**
   * A connection with no bytes in either direction for this long is closed (`CAIRN_HTTP_IDLE_TIMEOUT_SECONDS`).
   * Event streams (SSE, streamable-HTTP GET and POST streams) send a keep-alive comment every half of it (at most every 15 s), so they stay open. Default 60 s.
   */
  idleTimeoutMs: number;
  /** Open connections at most (`CAIRN_HTTP_MAX_CONNECTIONS`); further ones are closed at once. Default 2048. */
  maxConnections: number;
  /** How long shutdown waits for in-flight calls (`CAIRN_SHUTDOWN_GRACE_SECONDS`). Default 10 s. */
  shutdownGraceMs: number;
}

const HOST = /^(localhost|[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/;
const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
// Fractions are accepted (tests use short timeouts); zero would switch node's protection off.
const seconds = z.coerce.number().min(0.05, 'must be at least 0.05 (seconds)').max(3600, 'must be at most 3600 (seconds)');

/** The CAIRN_* variables this module reads, merged into the config's zod schema. */
export const HTTP_ENV = {
  CAIRN_HTTP_HOST: z.string().regex(HOST, 'must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0').optional(),
  CAIRN_HTTP_PORT: z.coerce.number().int('must be an integer 0–65535').min(0, 'must be 0–65535').max(65535, 'must be 0–65535').optional(),
  CAIRN_TOKENS: z.string().optional(),
  CAIRN_HTTP_ALLOWED_HOSTS: z.string().optional(),
  CAIRN_HTTP_ALLOWED_ORIGINS: z
    .string()
    .refine(
      (s) => list(s).every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
      'must be a comma-separated list of origins such as https://app.example.com',
    )
    .optional(),
  CAIRN_HTTP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024')
    .max(64 * 1024 ** 2, 'must be at most 67108864 (64 MiB)')
    .optional(),
  CAIRN_RATE_READS: z.coerce.number().min(0, 'must be ≥ 0 (0 = unlimited)').max(100_000).optional(),
  CAIRN_RATE_WRITES: z.coerce.number().min(0, 'must be ≥ 0 (0 = unlimited)').max(100_000).optional(),
  CAIRN_SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(7 * 86_400, 'must be at most 604800 (7 days)')
    .optional(),
  CAIRN_HTTP_MAX_SESSIONS: z.coerce.number().int().min(1).max(100_000).optional(),
  CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).optional(),
  CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS: seconds.optional(),
  CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS: seconds.optional(),
  CAIRN_HTTP_KEEPALIVE_TIMEOUT_SECONDS: seconds.optional(),
  CAIRN_HTTP_IDLE_TIMEOUT_SECONDS: seconds.optional(),
  CAIRN_HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  CAIRN_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).optional(),
};

/** True for addresses that only this machine can reach: the only hosts served without tokens. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

type HttpEnv = { [K in keyof typeof HTTP_ENV]?: z.infer<(typeof HTTP_ENV)[K]> };

/** Builds the HTTP settings from the validated environment and `--host/--port/--tokens` flags. */
export function resolveHttpConfig(e: HttpEnv, flag: (name: string) => string | undefined): HttpConfig {
  const host = flag('host') ?? e.CAIRN_HTTP_HOST ?? '127.0.0.1';
  if (!HOST.test(host))
    throw new CairnError('CONFIG_INVALID', `--host=${JSON.stringify(host)} is invalid: must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0`);
  const portRaw = flag('port');
  const port = portRaw === undefined ? (e.CAIRN_HTTP_PORT ?? 8765) : Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CairnError('CONFIG_INVALID', `--port=${JSON.stringify(portRaw)} is invalid: must be an integer 0–65535`);
  const tokenFlag = flag('tokens');
  const tokens = tokenFlag !== undefined ? parseTokenSpec(tokenFlag, '--tokens') : e.CAIRN_TOKENS ? parseTokenSpec(e.CAIRN_TOKENS) : [];
  const maxSessions = e.CAIRN_HTTP_MAX_SESSIONS ?? 1000;
  const headersTimeoutMs = (e.CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS ?? 10) * 1000;
  const requestTimeoutMs = (e.CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS ?? Math.max(30, headersTimeoutMs / 1000)) * 1000;
  if (requestTimeoutMs < headersTimeoutMs) {
    throw new CairnError(
      'CONFIG_INVALID',
      `CAIRN_HTTP_REQUEST_TIMEOUT_SECONDS=${requestTimeoutMs / 1000} is invalid: must be at least CAIRN_HTTP_HEADERS_TIMEOUT_SECONDS (${headersTimeoutMs / 1000})`,
    );
  }
  return {
    host,
    port,
    tokens,
    allowedHosts: list(e.CAIRN_HTTP_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    allowedOrigins: list(e.CAIRN_HTTP_ALLOWED_ORIGINS).map((o) => o.toLowerCase()),
    maxBodyBytes: e.CAIRN_HTTP_MAX_BODY_BYTES ?? 1024 ** 2,
    rateReads: e.CAIRN_RATE_READS ?? 100,
    rateWrites: e.CAIRN_RATE_WRITES ?? 20,
    sessionIdleMs: (e.CAIRN_SESSION_IDLE_SECONDS ?? 1800) * 1000,
    maxSessions,
    maxSessionsPerToken: Math.min(maxSessions, e.CAIRN_HTTP_MAX_SESSIONS_PER_TOKEN ?? 100),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: (e.CAIRN_HTTP_KEEPALIVE_TIMEOUT_SECONDS ?? 5) * 1000,
    idleTimeoutMs: (e.CAIRN_HTTP_IDLE_TIMEOUT_SECONDS ?? 60) * 1000,
    maxConnections: e.CAIRN_HTTP_MAX_CONNECTIONS ?? 2048,
    shutdownGraceMs: (e.CAIRN_SHUTDOWN_GRACE_SECONDS ?? 10) * 1000,
  };
}
