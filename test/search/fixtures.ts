import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { startTestServer, type TestServerOptions, tempHome } from '../helpers/client.js';

/** Six short, distinct facts used by the search tests. */
export const FACTS = [
  'Melanie painted a sunrise over the lake last summer',
  'Caroline is researching adoption agencies for her future family',
  'Jon lost his job as a banker and decided to open a dance studio',
  'Gina opened an online clothing store after losing her job at Door Dash',
  'Tim is reading a fantasy novel series about dragons and wizards',
  'John plays basketball with his team every weekend',
];

/**
 * Servers and temp homes closed after each test. `defaults.env` is merged under each call's env
 * (e.g. `{ CAIRN_SEARCH: 'sql' }` for a whole file).
 */
export function useServers(defaults: TestServerOptions = {}) {
  const open: Array<{ close(): Promise<void> }> = [];
  const homes: string[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
  });
  return {
    async server(opts: TestServerOptions = {}) {
      const s = await startTestServer({ ...defaults, ...opts, env: { ...(defaults.env ?? {}), ...(opts.env ?? {}) } });
      open.push(s);
      return s;
    },
    newHome() {
      const h = tempHome();
      homes.push(h);
      return h;
    },
  };
}
