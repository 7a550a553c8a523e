import type { EpisodeRecord } from '../episodes/types.js';
import { CairnError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MemoryRecord } from '../memory/types.js';
import { type EpisodeFilter, episodeFilterSql, toEpisode } from './episode-repo.js';
import { type MemoryFilter, memoryFilterSql, toMemory } from './memory-repo.js';
import { mapRows, rowMapper } from './rows.js';
import type { Db, SqlArgs } from './types.js';

/** One vector to store: the item, its type and (when known) the change sequence it was embedded from. */
export interface AnnRow {
  itemId: string;
  itemType: 'memory' | 'episode';
  vector: Float32Array;
  /** The item's `change_seq` the text was read at; looked up from the item when absent. */
  seq?: number;
}

/** A nearest neighbour: cosine distance (0 = same direction, 2 = opposite). */
export interface AnnHit {
  itemId: string;
  itemType: 'memory' | 'episode';
  distance: number;
}

/** How `topK` found its neighbours: the DiskANN index, or an exact scan of the namespace. */
export type AnnMethod = 'diskann' | 'exact';

/** Options of `topK`. */
export interface TopKOptions {
  /** Conditions on memories (kinds, tags, time), applied in SQL. */
  memoryFilter?: MemoryFilter;
  /** Conditions on episodes (task type, domain, outcomes, tags, time), applied in SQL. */
  episodeFilter?: EpisodeFilter;
  /** Skip the index and scan exactly (benchmarks, tests). Default false. */
  exact?: boolean;
}

/** Items whose stored vector is missing, from another embedder, or older than their last change. */
export interface StaleItems {
  memories: Array<MemoryRecord & { changeSeq: number }>;
  episodes: Array<EpisodeRecord & { changeSeq: number }>;
}

/**
 * SQL for the per-dimension vector tables `vec_<dim>` behind `CAIRN_SEARCH=sql`: one row per item
 * (the active embedder's vector), indexed by libSQL DiskANN (`libsql_vector_idx`, cosine).
 */
export interface AnnRepo {
  /** Creates `vec_<dim>` and its indexes if missing (idempotent, safe when processes race); true when DiskANN is available. */
  ensure(dim: number): Promise<boolean>;
  /** Upserts vectors (all of one dimension) in one atomic batch. */
  put(ns: string, embedderId: string, rows: AnnRow[]): Promise<void>;
  /**
   * The `k` live items of `itemTypes` nearest to `vector` in namespace `ns` and embedder space
   * `embedderId`, nearest first. Uses `vector_top_k` over-fetched (the index spans every
   * namespace) and falls back to an exact `vector_distance_cos` scan when the index is absent or
   * unsupported, or when the over-fetch kept fewer than `k` after filtering.
   */
  topK(
    ns: string,
    embedderId: string,
    vector: Float32Array,
    k: number,
    itemTypes: ReadonlyArray<'memory' | 'episode'>,
    opts?: TopKOptions,
  ): Promise<{ hits: AnnHit[]; method: AnnMethod }>;
  /** Highest `change_seq` of the namespace's memories or episodes (0 when empty). */
  maxSeq(ns: string, type: 'memory' | 'episode'): Promise<number>;
  /** Items with `afterSeq < change_seq <= upToSeq` needing a (new) vector, in change order. */
  stale(ns: string, embedderId: string, dim: number, type: 'memory' | 'episode', afterSeq: number, upToSeq: number, limit: number): Promise<StaleItems>;
}

/** Options of the ANN repository. */
export interface AnnRepoOptions {
  /** Build the DiskANN index on new tables. Default true (false keeps exact scans only). */
  diskann?: boolean;
  /**
   * `libsql_vector_idx` options for new indexes (`key=value`). Default `metric=cosine`,
   * `compress_neighbors=float8`, `max_neighbors=32`: uncompressed neighbours cost ~84 KB a row and
   * 19 s per 1k 384-d rows here; these settings cut that to ~18 KB and ~4.5 s at the same recall.
   */
  indexOptions?: readonly string[];
  /** Over-fetch factor for `vector_top_k`, which ranks across all namespaces. Default 8. */
  overFetch?: number;
  logger?: Logger;
}

/** Default `libsql_vector_idx` options (see `AnnRepoOptions.indexOptions`). */
export const DEFAULT_INDEX_OPTIONS: readonly string[] = ['metric=cosine', 'compress_neighbors=float8', 'max_neighbors=32'];

const table = (dim: number) => {
  if (!Number.isInteger(dim) || dim < 1 || dim > 65536)
    throw new CairnError('INVALID_INPUT', `vector dimension ${dim} is invalid: must be an integer from 1 to 65536`);
  return `vec_${dim}`;
};
const blob = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** Creates the ANN repository over `db`. */
export function createAnnRepo(db: Db, opts: AnnRepoOptions = {}): AnnRepo {
  const overFetch = opts.overFetch ?? 8;
  const spaces = new Map<number, Promise<boolean>>();
  const indexOptions = opts.indexOptions ?? DEFAULT_INDEX_OPTIONS;
  const bad = indexOptions.find((o) => !/^[a-z_]+=[a-z0-9_]+$/.test(o));
  if (bad !== undefined)
    throw new CairnError(
      'INVALID_INPUT',
      `vector index option ${JSON.stringify(bad)} is invalid: expected key=value such as metric=cosine or compress_neighbors=float8`,
    );

  async function create(dim: number): Promise<boolean> {
    const t = table(dim);
    const known = await db.execute('SELECT diskann FROM ann_spaces WHERE dim = ?', [dim]);
    if (known.rows[0]) return Number(known.rows[0].diskann) === 1 && opts.diskann !== false;
    await db.batch(
      [
        `CREATE TABLE IF NOT EXISTS ${t} (item_id TEXT PRIMARY KEY, namespace TEXT NOT NULL, item_type TEXT NOT NULL, embedder_id TEXT NOT NULL, seq INTEGER NOT NULL, vector F32_BLOB(${dim}) NOT NULL)`,
        `CREATE INDEX IF NOT EXISTS ${t}_ns ON ${t}(namespace, embedder_id, item_type)`,
      ],
      'write',
    );
    let diskann = opts.diskann !== false;
    if (diskann) {
      try {
        await db.execute(`CREATE INDEX IF NOT EXISTS ${t}_idx ON ${t}(libsql_vector_idx(vector, ${indexOptions.map((o) => `'${o}'`).join(', ')}))`);
      } catch (err) {
        diskann = false;
        opts.logger?.warn('DiskANN vector index unavailable; sql search scans vectors exactly', { table: t, err: String(err) });
      }
      await db.execute('INSERT INTO ann_spaces (dim, diskann, created_at) VALUES (?, ?, ?) ON CONFLICT (dim) DO NOTHING', [dim, diskann ? 1 : 0, Date.now()]);
    }
    return diskann;
  }

  const ensure = (dim: number) => {
    let p = spaces.get(dim);
    if (!p) {
      p = create(dim);
      spaces.set(dim, p);
      p.catch(() => spaces.delete(dim));
    }
    return p;
  };

  /** One type's candidates: from the index (`source` = vector_top_k) or from the whole namespace. */
  async function query(
    t: string,
    ns: string,
    embedderId: string,
    q: Uint8Array,
    k: number,
    type: 'memory' | 'episode',
    o: TopKOptions,
    indexed: boolean,
  ): Promise<AnnHit[]> {
    const join =
      type === 'memory'
        ? `JOIN memories m ON m.id = v.item_id AND m.namespace = v.namespace AND m.deleted_at IS NULL`
        : `JOIN episodes e ON e.id = v.item_id AND e.namespace = v.namespace`;
    const f = type === 'memory' ? memoryFilterSql(o.memoryFilter ?? {}) : episodeFilterSql(o.episodeFilter ?? {});
    const from = indexed ? `vector_top_k('${t}_idx', vector32(?), ?) AS top JOIN ${t} v ON v.rowid = top.id` : `${t} v`;
    const args: SqlArgs = [q, ...(indexed ? [q, k * overFetch] : []), ns, embedderId, type, ...f.args, k];
    const rs = await db.execute(
      `SELECT v.item_id, vector_distance_cos(v.vector, vector32(?)) AS distance FROM ${from} ${join}
       WHERE v.namespace = ? AND v.embedder_id = ? AND v.item_type = ? ${f.where} AND distance IS NOT NULL
       ORDER BY distance LIMIT ?`,
      args,
    );
    return rs.rows.map((r) => ({ itemId: String(r.item_id), itemType: type, distance: Number(r.distance) }));
  }

  return {
    ensure,
    async put(ns, embedderId, rows) {
      if (rows.length === 0) return;
      const t = table(rows[0]!.vector.length);
      await ensure(rows[0]!.vector.length);
      await db.batch(
        rows.map((r) => {
          if (r.vector.length !== rows[0]!.vector.length)
            throw new CairnError('INVALID_INPUT', `vectors in one put must share a dimension: got ${r.vector.length} and ${rows[0]!.vector.length}`);
          return {
            sql: `INSERT INTO ${t} (item_id, namespace, item_type, embedder_id, seq, vector)
                  VALUES (?, ?, ?, ?, COALESCE(?, (SELECT change_seq FROM memories WHERE id = ?1), (SELECT change_seq FROM episodes WHERE id = ?1), 0), ?)
                  ON CONFLICT (item_id) DO UPDATE SET namespace = excluded.namespace, item_type = excluded.item_type, embedder_id = excluded.embedder_id, seq = excluded.seq, vector = excluded.vector`,
            args: [r.itemId, ns, r.itemType, embedderId, r.seq ?? null, blob(r.vector)],
          };
        }),
        'write',
      );
    },
    async topK(ns, embedderId, vector, k, itemTypes, o = {}) {
      const t = table(vector.length);
      const diskann = (await ensure(vector.length)) && !o.exact;
      const q = blob(vector);
      let method: AnnMethod = diskann ? 'diskann' : 'exact';
      const hits: AnnHit[] = [];
      for (const type of itemTypes) {
        let found: AnnHit[] | null = null;
        if (diskann) {
          try {
            found = await query(t, ns, embedderId, q, k, type, o, true);
          } catch (err) {
            opts.logger?.warn('vector_top_k failed; scanning exactly', { table: t, err: String(err) });
          }
        }
        // Too few left after the namespace and filters: the exact scan over this namespace is the answer.
        if (found === null || found.length < k) {
          found = await query(t, ns, embedderId, q, k, type, o, false);
          method = 'exact';
        }
        hits.push(...found);
      }
      return { hits: hits.sort((a, b) => a.distance - b.distance).slice(0, k), method };
    },
    async maxSeq(ns, type) {
      const rs = await db.execute(`SELECT COALESCE(MAX(change_seq), 0) AS s FROM ${type === 'memory' ? 'memories' : 'episodes'} WHERE namespace = ?`, [ns]);
      return Number(rs.rows[0]?.s ?? 0);
    },
    async stale(ns, embedderId, dim, type, afterSeq, upToSeq, limit) {
      const t = table(dim);
      await ensure(dim);
      const [tbl, alias, live] = type === 'memory' ? ['memories', 'm', 'AND m.deleted_at IS NULL'] : ['episodes', 'e', ''];
      const rs = await db.execute(
        `SELECT ${alias}.* FROM ${tbl} ${alias} LEFT JOIN ${t} v ON v.item_id = ${alias}.id
         WHERE ${alias}.namespace = ? AND ${alias}.change_seq > ? AND ${alias}.change_seq <= ? ${live}
           AND (v.item_id IS NULL OR v.embedder_id <> ? OR v.seq < ${alias}.change_seq)
         ORDER BY ${alias}.change_seq LIMIT ?`,
        [ns, afterSeq, upToSeq, embedderId, limit],
      );
      const seq = (r: (typeof rs.rows)[number]) => Number(r.change_seq);
      return type === 'memory'
        ? {
            memories: mapRows(
              db,
              rs.rows,
              rowMapper('memories', (r) => ({ ...toMemory(r), changeSeq: seq(r) })),
            ),
            episodes: [],
          }
        : {
            memories: [],
            episodes: mapRows(
              db,
              rs.rows,
              rowMapper('episodes', (r) => ({ ...toEpisode(r), changeSeq: seq(r) })),
            ),
          };
    },
  };
}
