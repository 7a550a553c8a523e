import type { Migration } from './types.js';

/** Memories, episodes and their steps, with FTS5 indexes kept in step by triggers. */
export const m001Core: Migration = {
  version: 1,
  name: 'core',
  up: [
    `CREATE TABLE IF NOT EXISTS meta (
       key TEXT PRIMARY KEY,
       value TEXT NOT NULL
     )`,
    `CREATE TABLE memories (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       content TEXT NOT NULL,
       kind TEXT NOT NULL,
       tags TEXT NOT NULL DEFAULT '[]',
       importance REAL NOT NULL DEFAULT 0.5,
       occurred_at INTEGER,
       source TEXT,
       metadata TEXT NOT NULL DEFAULT '{}',
       content_hash TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       updated_at INTEGER NOT NULL,
       deleted_at INTEGER,
       deleted_reason TEXT
     )`,
    // Exact-duplicate detection: one live row per (namespace, normalised content + kind + time).
    `CREATE UNIQUE INDEX memories_live_hash ON memories(namespace, content_hash) WHERE deleted_at IS NULL`,
    `CREATE INDEX memories_ns_time ON memories(namespace, created_at)`,
    `CREATE VIRTUAL TABLE memories_fts USING fts5(content, tags, content='memories', content_rowid='rowid', tokenize='porter unicode61')`,
    `CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
       INSERT INTO memories_fts(rowid, content, tags) VALUES (new.rowid, new.content, new.tags);
     END`,
    `CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
       INSERT INTO memories_fts(memories_fts, rowid, content, tags) VALUES ('delete', old.rowid, old.content, old.tags);
     END`,
    `CREATE TRIGGER memories_au AFTER UPDATE OF content, tags ON memories BEGIN
       INSERT INTO memories_fts(memories_fts, rowid, content, tags) VALUES ('delete', old.rowid, old.content, old.tags);
       INSERT INTO memories_fts(rowid, content, tags) VALUES (new.rowid, new.content, new.tags);
     END`,
    `CREATE TABLE episodes (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       task TEXT NOT NULL,
       task_type TEXT NOT NULL,
       domain TEXT NOT NULL,
       language TEXT,
       framework TEXT,
       tags TEXT NOT NULL DEFAULT '[]',
       complexity TEXT NOT NULL DEFAULT 'moderate',
       context TEXT NOT NULL DEFAULT '{}',
       status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed')),
       outcome_type TEXT,
       outcome TEXT,
       reward REAL,
       reward_parts TEXT,
       reflection TEXT,
       summary TEXT,
       started_at INTEGER NOT NULL,
       completed_at INTEGER,
       updated_at INTEGER NOT NULL
     )`,
    `CREATE INDEX episodes_ns_status ON episodes(namespace, status, started_at)`,
    `CREATE TABLE episode_steps (
       episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
       step_number INTEGER NOT NULL,
       namespace TEXT NOT NULL,
       tool TEXT NOT NULL,
       action TEXT NOT NULL,
       parameters TEXT NOT NULL DEFAULT '{}',
       result_type TEXT,
       result_output TEXT,
       result_message TEXT,
       latency_ms REAL,
       at INTEGER NOT NULL,
       PRIMARY KEY (episode_id, step_number)
     )`,
    `CREATE VIRTUAL TABLE episodes_fts USING fts5(task, summary, tags, content='episodes', content_rowid='rowid', tokenize='porter unicode61')`,
    `CREATE TRIGGER episodes_ai AFTER INSERT ON episodes BEGIN
       INSERT INTO episodes_fts(rowid, task, summary, tags) VALUES (new.rowid, new.task, new.summary, new.tags);
     END`,
    `CREATE TRIGGER episodes_ad AFTER DELETE ON episodes BEGIN
       INSERT INTO episodes_fts(episodes_fts, rowid, task, summary, tags) VALUES ('delete', old.rowid, old.task, old.summary, old.tags);
     END`,
    `CREATE TRIGGER episodes_au AFTER UPDATE OF task, summary, tags ON episodes BEGIN
       INSERT INTO episodes_fts(episodes_fts, rowid, task, summary, tags) VALUES ('delete', old.rowid, old.task, old.summary, old.tags);
       INSERT INTO episodes_fts(rowid, task, summary, tags) VALUES (new.rowid, new.task, new.summary, new.tags);
     END`,
  ],
};
