import type { Migration } from './types.js';

/**
 * Embeddings as the source of truth for vector search: one row per (item, embedder), raw
 * little-endian float32 in an F32_BLOB column (readable by libSQL's vector functions).
 *
 * `change_seq` gives memories and episodes a total order of changes (set by triggers from the
 * table's maximum inside the writing transaction; SQLite serialises writers), so an in-process
 * index can catch up with any process's commits exactly: no timestamp ties, no missed rows.
 */
export const m004Vectors: Migration = {
  version: 4,
  name: 'vectors',
  up: [
    `CREATE TABLE embeddings (
       item_id TEXT NOT NULL,
       embedder_id TEXT NOT NULL,
       namespace TEXT NOT NULL,
       item_type TEXT NOT NULL,
       dim INTEGER NOT NULL,
       text_hash TEXT NOT NULL,
       vector F32_BLOB NOT NULL,
       created_at INTEGER NOT NULL,
       PRIMARY KEY (item_id, embedder_id)
     )`,
    `CREATE INDEX embeddings_ns ON embeddings(namespace, embedder_id, item_type)`,
    ...changeSeq('memories', 'content, kind, tags, importance, occurred_at, source, metadata, deleted_at'),
    ...changeSeq('episodes', 'task, task_type, domain, tags, status, outcome_type, reward, summary'),
  ],
};

function changeSeq(table: string, columns: string): string[] {
  const bump = `UPDATE ${table} SET change_seq = (SELECT MAX(change_seq) FROM ${table}) + 1 WHERE rowid = new.rowid`;
  return [
    `ALTER TABLE ${table} ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0`,
    `UPDATE ${table} SET change_seq = rowid`,
    `CREATE INDEX ${table}_change ON ${table}(change_seq)`,
    `CREATE INDEX ${table}_ns_change ON ${table}(namespace, change_seq)`,
    `CREATE TRIGGER ${table}_seq_ai AFTER INSERT ON ${table} BEGIN ${bump}; END`,
    `CREATE TRIGGER ${table}_seq_au AFTER UPDATE OF ${columns} ON ${table} BEGIN ${bump}; END`,
  ];
}
