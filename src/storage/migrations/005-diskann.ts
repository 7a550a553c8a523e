import type { Migration } from './types.js';

/**
 * A registry of the per-dimension vector tables `vec_<dim>` behind `CAIRN_SEARCH=sql`. The tables
 * themselves are created on first use by `src/storage/ann-repo.ts`: a DiskANN index needs a
 * fixed-dimension column (`F32_BLOB(<dim>)`) and the embedder's dimension is unknown here.
 * `diskann` records whether the index could be built (0 on a database without libSQL vectors).
 */
export const m005Diskann: Migration = {
  version: 5,
  name: 'diskann',
  up: [
    `CREATE TABLE ann_spaces (
       dim INTEGER PRIMARY KEY,
       diskann INTEGER NOT NULL,
       created_at INTEGER NOT NULL
     )`,
  ],
};
