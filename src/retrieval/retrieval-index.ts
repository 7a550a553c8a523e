import { CairnError } from '../errors.js';
import { createDocStore, type DocStoreState } from './doc-store.js';
import { type ResolvedOptions, type RetrievalOptions, resolveOptions } from './options.js';
import { searchStore } from './search.js';
import { packImage, type SectionValue } from './snapshot/image.js';
import { INDEX_FORMAT, imageToState, optionsFingerprint, stateToImage } from './snapshot/index-image.js';
import type { RetrievalIndex, SnapshotHeader } from './types.js';

/**
 * Creates an in-memory hybrid index for one namespace: BM25F over text, fields and thread
 * context; exact vector search; a semantic signal learned from the namespace's own texts; fusion;
 * recency, importance, reward, temporal and form priors; MMR diversity. Synchronous and
 * single-threaded: the caller serialises writes and searches (they never interleave in JS).
 *
 * @throws CairnError `INVALID_INPUT` for an invalid option, a vector of the wrong length or a bad limit.
 */
export function createRetrievalIndex(options: RetrievalOptions): RetrievalIndex {
  return indexOver(resolveOptions(options));
}

/**
 * Rebuilds an index from a snapshot (`RetrievalIndex.snapshot`): its header and the sections of
 * its image (see `createImageAssembler`). The restored index answers exactly as the saved one
 * did, and keeps working from there.
 *
 * @throws CairnError `CACHE_ERROR` when the snapshot is of another format, was built with other
 *   options, or is inconsistent — the caller rebuilds the index instead.
 */
export function restoreRetrievalIndex(options: RetrievalOptions, header: SnapshotHeader, sections: ReadonlyMap<string, SectionValue>): RetrievalIndex {
  const resolved = resolveOptions(options);
  if (header.format !== INDEX_FORMAT) {
    throw new CairnError('CACHE_ERROR', `index snapshot: format ${String(header.format)}, this version reads ${INDEX_FORMAT}`);
  }
  if (header.options !== optionsFingerprint(resolved)) throw new CairnError('CACHE_ERROR', 'index snapshot: built with other options');
  const index = indexOver(resolved, imageToState(header.meta, sections));
  if (index.size !== header.documents)
    throw new CairnError('CACHE_ERROR', `index snapshot: holds ${index.size} documents, its header says ${header.documents}`);
  return index;
}

function indexOver(resolved: ResolvedOptions, state?: DocStoreState): RetrievalIndex {
  const store = createDocStore(resolved, state);
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
    snapshot() {
      const { meta, values } = stateToImage(store.state());
      const { layout, bytes } = packImage(values);
      return { header: { format: INDEX_FORMAT, options: optionsFingerprint(resolved), documents: store.size, meta, layout }, bytes };
    },
  };
}
