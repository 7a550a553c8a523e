import { createDocStore } from './doc-store.js';
import { resolveOptions, type RetrievalOptions } from './options.js';
import { searchStore } from './search.js';
import type { RetrievalIndex } from './types.js';

/**
 * Creates an in-memory hybrid index for one namespace: BM25F over text, fields and thread
 * context; exact vector search; a semantic signal learned from the namespace's own texts; fusion;
 * recency, importance, reward, temporal and form priors; MMR diversity. Synchronous and
 * single-threaded: the caller serialises writes and searches (they never interleave in JS).
 *
 * @throws CairnError `INVALID_INPUT` for an invalid option, a vector of the wrong length or a bad limit.
 */
export function createRetrievalIndex(options: RetrievalOptions): RetrievalIndex {
  const resolved = resolveOptions(options);
  const store = createDocStore(resolved);
  return {
    dim: resolved.dim,
    get size() {
      return store.size;
    },
    has: (id) => store.slotOf(id) !== undefined,
    add(docs) {
      for (const doc of docs) store.add(doc);
    },
    remove(ids) {
      let removed = 0;
      for (const id of ids) if (store.remove(id)) removed++;
      return removed;
    },
    refresh() {
      store.semantic?.refresh(store.size);
    },
    search: (query) => searchStore(store, resolved, query),
  };
}
