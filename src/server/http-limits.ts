import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpConfig } from '../config/http.js';
import type { Metrics } from '../ops/metrics.js';

type Limits = Pick<HttpConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs' | 'maxConnections'>;

/** Longest gap between keep-alive comments on an event stream (what proxies such as nginx tolerate by default is 60 s). */
const MAX_STREAM_PING_MS = 15_000;

/**
 * node:http options that bound how long a client may take to send a request: headers within
 * `headersTimeoutMs`, the whole request (a slow body included) within `requestTimeoutMs`, each
 * answered by node with 408 and a closed connection. Node checks both on a timer, every quarter
 * of the shorter one here (its default, 30 s, would let a 10 s limit stretch to 40 s).
 */
export function serverOptions(cfg: Limits): ServerOptions {
  return {
    headersTimeout: cfg.headersTimeoutMs,
    requestTimeout: cfg.requestTimeoutMs,
    keepAliveTimeout: cfg.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(cfg.headersTimeoutMs, cfg.requestTimeoutMs) / 4),
  };
}

/**
 * Limits on a listening server's connections: at most `maxConnections` open (node closes any
 * further one at once), and none silent in both directions for `idleTimeoutMs`. Dropped and
 * timed-out connections are counted in `metrics` (`connections_dropped`, `connections_timed_out`).
 */
export function limitConnections(server: Server, cfg: Limits, metrics: Metrics): void {
  server.maxConnections = cfg.maxConnections;
  server.timeout = cfg.idleTimeoutMs;
  server.on('drop', () => metrics.bump('connections_dropped'));
  // With a listener node no longer destroys the socket itself.
  server.on('timeout', (socket: Socket) => {
    metrics.bump('connections_timed_out');
    socket.destroy();
  });
}

/** How often event streams send a keep-alive comment: well inside the idle timeout, at most every 15 s. */
export function streamPingMs(cfg: Pick<HttpConfig, 'idleTimeoutMs'>): number {
  return Math.max(10, Math.min(MAX_STREAM_PING_MS, Math.floor(cfg.idleTimeoutMs / 2)));
}
