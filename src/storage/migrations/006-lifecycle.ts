import type { Migration } from './types.js';

const VISIBLE = 'deleted_at IS NULL AND superseded_by IS NULL AND merged_into IS NULL';

/**
 * Memory lifecycle: supersession and curator merges (kept, hidden by default), decay and access
 * counts for ranking, a text key to catch client retries, the audit trail of every change, and
 * the curation runs an operator can undo.
 *
 * The exact-duplicate index now covers visible memories only, so a fact may be stated again after
 * its old copy was superseded. `change_seq` also moves when a memory is hidden, shown again or its
 * decay changes (in-process indexes re-read it); access counts never move it.
 */
export const m006Lifecycle: Migration = {
  version: 6,
  name: 'lifecycle',
  up: [
    'ALTER TABLE memories ADD COLUMN superseded_by TEXT',
    'ALTER TABLE memories ADD COLUMN merged_into TEXT',
    'ALTER TABLE memories ADD COLUMN decay REAL NOT NULL DEFAULT 1',
    'ALTER TABLE memories ADD COLUMN access_count INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE memories ADD COLUMN last_accessed_at INTEGER',
    'ALTER TABLE memories ADD COLUMN text_key TEXT',
    'DROP INDEX memories_live_hash',
    `CREATE UNIQUE INDEX memories_live_hash ON memories(namespace, content_hash) WHERE ${VISIBLE}`,
    'CREATE INDEX memories_superseded_by ON memories(superseded_by) WHERE superseded_by IS NOT NULL',
    'CREATE INDEX memories_merged_into ON memories(merged_into) WHERE merged_into IS NOT NULL',
    'CREATE INDEX memories_text_key ON memories(namespace, text_key, created_at)',
    'CREATE INDEX memories_ns_browse ON memories(namespace, created_at, id)',
    'DROP TRIGGER memories_seq_au',
    `CREATE TRIGGER memories_seq_au AFTER UPDATE OF content, kind, tags, importance, occurred_at, source, metadata, deleted_at, superseded_by, merged_into, decay ON memories BEGIN
       UPDATE memories SET change_seq = (SELECT MAX(change_seq) FROM memories) + 1 WHERE rowid = new.rowid;
     END`,
    `CREATE TABLE memory_events (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       memory_id TEXT NOT NULL,
       action TEXT NOT NULL CHECK (action IN ('remember', 'supersede', 'forget', 'restore', 'merge', 'unmerge')),
       related_id TEXT,
       actor TEXT NOT NULL,
       run_id TEXT,
       rule TEXT,
       score REAL,
       details TEXT NOT NULL DEFAULT '{}',
       at INTEGER NOT NULL
     )`,
    // By memory id alone (ids are unique across namespaces): with the namespace first the planner
    // read every event of the namespace for one memory's history.
    'CREATE INDEX memory_events_memory ON memory_events(memory_id, at)',
    'CREATE INDEX memory_events_related ON memory_events(related_id) WHERE related_id IS NOT NULL',
    'CREATE INDEX memory_events_run ON memory_events(run_id) WHERE run_id IS NOT NULL',
    `CREATE TABLE curation_runs (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       actor TEXT NOT NULL,
       started_at INTEGER NOT NULL,
       finished_at INTEGER NOT NULL,
       upto_seq INTEGER NOT NULL,
       merged INTEGER NOT NULL,
       decayed INTEGER NOT NULL,
       undone_at INTEGER
     )`,
    'CREATE INDEX curation_runs_ns ON curation_runs(namespace, started_at)',
    // Pairs an operator pulled apart (undo, restore): the curator never merges them again.
    `CREATE TABLE memory_apart (
       namespace TEXT NOT NULL,
       a TEXT NOT NULL,
       b TEXT NOT NULL,
       at INTEGER NOT NULL,
       PRIMARY KEY (namespace, a, b)
     )`,
  ],
};
