import { episodePage } from './pages/episode.js';
import { episodesPage } from './pages/episodes.js';
import { focusPage } from './pages/focus.js';
import { healthPage } from './pages/health.js';
import { homePage } from './pages/home.js';
import { memoriesPage, rememberAction } from './pages/memories.js';
import { forgetAction, memoryPage, restoreAction, supersedeAction } from './pages/memory.js';
import { patternsPage } from './pages/patterns.js';
import type { Answer, PageContext } from './types.js';

/** A page or action: method, path pattern with named groups, handler. */
interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: (ctx: PageContext) => Promise<Answer>;
}

/** Ids in paths: UUIDs and the like, never a path separator or markup. */
const ID = '(?<id>[A-Za-z0-9_-]{1,64})';

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/ui\/$/, handler: homePage },
  { method: 'GET', pattern: /^\/ui\/memories$/, handler: memoriesPage },
  { method: 'POST', pattern: /^\/ui\/memories$/, handler: rememberAction },
  { method: 'GET', pattern: new RegExp(`^/ui/memories/${ID}$`), handler: memoryPage },
  { method: 'POST', pattern: new RegExp(`^/ui/memories/${ID}/supersede$`), handler: supersedeAction },
  { method: 'POST', pattern: new RegExp(`^/ui/memories/${ID}/forget$`), handler: forgetAction },
  { method: 'POST', pattern: new RegExp(`^/ui/memories/${ID}/restore$`), handler: restoreAction },
  { method: 'GET', pattern: /^\/ui\/episodes$/, handler: episodesPage },
  { method: 'GET', pattern: new RegExp(`^/ui/episodes/${ID}$`), handler: episodePage },
  { method: 'GET', pattern: /^\/ui\/patterns$/, handler: patternsPage },
  { method: 'GET', pattern: /^\/ui\/focus$/, handler: focusPage },
  { method: 'GET', pattern: /^\/ui\/health$/, handler: healthPage },
];

/** The route for a method and path (HEAD is answered as GET), with its path parameters. */
export function findRoute(method: string | undefined, path: string): { handler: Route['handler']; params: Record<string, string> } | null {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const r of ROUTES) {
    if (r.method !== m) continue;
    const match = r.pattern.exec(path);
    if (match) return { handler: r.handler, params: { ...match.groups } };
  }
  return null;
}
