import { hostname, networkInterfaces } from 'node:os';

/** Decides whether a request's Host and Origin headers are acceptable (DNS-rebinding defence). */
export interface HostCheck {
  /** Null when acceptable, else a reason for the 403 answer. */
  check(host: string | undefined, origin: string | undefined): string | null;
  /** Host names accepted (for the start-up log); `['*']` when the check is off. */
  readonly hosts: readonly string[];
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Accepted Host names: the loopback names, the bound address (for a wildcard bind: every
 * interface address and the machine's host name), and `extraHosts` (`*` turns the check off).
 * A browser's Origin must name an accepted host or be listed in `extraOrigins`; requests without
 * an Origin (non-browser clients) pass.
 */
export function createHostCheck(bindHost: string, extraHosts: readonly string[], extraOrigins: readonly string[]): HostCheck {
  const anyHost = extraHosts.includes('*');
  const anyOrigin = extraOrigins.includes('*');
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  const add = (h: string) => hosts.add(h.includes(':') && !h.startsWith('[') ? `[${h.toLowerCase()}]` : h.toLowerCase());
  if (WILDCARD.has(bindHost)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) add(a.address.split('%')[0]!);
    add(hostname());
  } else add(bindHost);
  for (const h of extraHosts) if (h !== '*') add(h);
  const origins = new Set(extraOrigins);

  const hostnameOf = (value: string): string | null => {
    try {
      return new URL(`http://${value}`).hostname.toLowerCase();
    } catch {
      return null;
    }
  };

  return {
    hosts: anyHost ? ['*'] : [...hosts],
    check(host, origin) {
      if (!anyHost) {
        if (!host) return 'missing Host header';
        const name = hostnameOf(host);
        if (name === null || !hosts.has(name))
          return `Host ${JSON.stringify(host)} is not accepted; add it to CAIRN_HTTP_ALLOWED_HOSTS if this server should answer to that name`;
      }
      if (origin !== undefined && !anyOrigin && !origins.has(origin.toLowerCase())) {
        let name: string | null = null;
        try {
          const u = new URL(origin);
          name = u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.toLowerCase() : null;
        } catch {
          name = null;
        }
        if (name === null || !hosts.has(name))
          return `Origin ${JSON.stringify(origin)} is not accepted; add it to CAIRN_HTTP_ALLOWED_ORIGINS to allow that web page`;
      }
      return null;
    },
  };
}
