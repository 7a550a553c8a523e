import type { EpisodeWithSteps } from '../episodes/types.js';
import { VERSION } from '../version.js';
import type { EpisodeRepo } from './episode-repo.js';
import type { Cache } from './types.js';

const key = (ns: string, id: string) => `episode:${ns}:${id}`;
// The record's shape is this code's: a cached episode is trusted only by the release that wrote it.
const RECORD_VERSION = `episode@${VERSION}`;

/**
 * Composes the episode repository with the cache: completed episodes (immutable) are read from
 * LMDB first and written there only after the primary has committed. Open episodes are never
 * cached, so no acknowledged write lives only in the cache.
 */
export function withCache(repo: EpisodeRepo, cache: Cache): EpisodeRepo {
  return {
    ...repo,
    async get(ns, id) {
      const hit = cache.get<EpisodeWithSteps>(key(ns, id), RECORD_VERSION);
      if (hit) return hit;
      const ep = await repo.get(ns, id);
      if (ep?.status === 'completed') await cache.put(key(ns, id), ep, RECORD_VERSION);
      return ep;
    },
    async complete(ns, id, fields, patterns) {
      const out = await repo.complete(ns, id, fields, patterns);
      if (out.status === 'ok') {
        const ep = await repo.get(ns, id);
        if (ep) await cache.put(key(ns, id), ep, RECORD_VERSION);
      }
      return out;
    },
  };
}
