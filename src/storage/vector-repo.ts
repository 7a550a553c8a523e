import type { Row } from '@libsql/client';
import { mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

/** A stored embedding. */
export interface StoredVector {
  itemId: string;
  itemType: string;
  textHash: string;
  vector: Float32Array;
}

/** SQL for embeddings. Vectors are raw float32 bytes; the embedder id names their space. */
export interface VectorRepo {
  /** Upserts vectors of one embedder in one atomic batch. */
  put(ns: string, embedderId: string, rows: StoredVector[], at: number): Promise<void>;
  /** Vectors of the given items in one embedder's space (missing items are absent from the map). */
  get(ns: string, embedderId: string, itemIds: string[]): Promise<Map<string, StoredVector>>;
  /** Deletes vectors in spaces other than `keepEmbedderId` (after a completed reindex). */
  prune(ns: string, keepEmbedderId: string): Promise<number>;
}

/** Creates the vector repository over `db`. */
export function createVectorRepo(db: Db): VectorRepo {
  return {
    async put(ns, embedderId, rows, at) {
      if (rows.length === 0) return;
      await db.batch(
        rows.map((r) => ({
          sql: `INSERT INTO embeddings (item_id, embedder_id, namespace, item_type, dim, text_hash, vector, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (item_id, embedder_id) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector, dim = excluded.dim, created_at = excluded.created_at`,
          args: [
            r.itemId,
            embedderId,
            ns,
            r.itemType,
            r.vector.length,
            r.textHash,
            new Uint8Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength),
            at,
          ],
        })),
        'write',
      );
    },
    async get(ns, embedderId, itemIds) {
      const out = new Map<string, StoredVector>();
      for (let i = 0; i < itemIds.length; i += 500) {
        const chunk = itemIds.slice(i, i + 500);
        const rs = await db.execute(
          `SELECT item_id, item_type, text_hash, vector FROM embeddings WHERE item_id IN (${chunk.map(() => '?').join(',')}) AND embedder_id = ? AND +namespace = ?`,
          [...chunk, embedderId, ns],
        );
        for (const v of mapRows(db, rs.rows, toVector)) out.set(v.itemId, v);
      }
      return out;
    },
    async prune(ns, keep) {
      const rs = await db.execute('DELETE FROM embeddings WHERE namespace = ? AND embedder_id <> ?', [ns, keep]);
      return rs.rowsAffected;
    },
  };
}

const toVector = rowMapper('embeddings', (r: Row): StoredVector => {
  const buf = r.vector;
  if (!(buf instanceof ArrayBuffer) || buf.byteLength % 4 !== 0) throw new Error('vector is not a float32 blob');
  return { itemId: String(r.item_id), itemType: String(r.item_type), textHash: String(r.text_hash), vector: new Float32Array(buf.slice(0)) };
});
