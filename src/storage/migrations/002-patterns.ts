import type { Migration } from './types.js';

/**
 * Learned patterns with incremental statistics and full-text search, and the durable queue of
 * pattern work that must survive a crash (deferred extraction, near-duplicate merging).
 */
export const m002Patterns: Migration = {
  version: 2,
  name: 'patterns',
  up: [
    `CREATE TABLE patterns (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       kind TEXT NOT NULL,
       key TEXT NOT NULL,
       match_key TEXT NOT NULL,
       description TEXT NOT NULL,
       tokens TEXT NOT NULL DEFAULT '[]',
       size INTEGER NOT NULL,
       head TEXT NOT NULL,
       tail TEXT NOT NULL,
       data TEXT NOT NULL DEFAULT '{}',
       task_type TEXT NOT NULL,
       domain TEXT NOT NULL,
       language TEXT,
       tags TEXT NOT NULL DEFAULT '[]',
       occurrences INTEGER NOT NULL,
       successes INTEGER NOT NULL,
       latency_total REAL NOT NULL DEFAULT 0,
       latency_count INTEGER NOT NULL DEFAULT 0,
       wilson REAL NOT NULL,
       episode_ids TEXT NOT NULL DEFAULT '[]',
       first_seen INTEGER NOT NULL,
       last_seen INTEGER NOT NULL,
       merged_into TEXT,
       created_at INTEGER NOT NULL,
       updated_at INTEGER NOT NULL,
       CHECK (successes >= 0 AND successes <= occurrences)
     )`,
    // One row per canonical key; a merged row stays as an alias that redirects its key.
    `CREATE UNIQUE INDEX patterns_ns_key ON patterns(namespace, key)`,
    `CREATE INDEX patterns_ns_rank ON patterns(namespace, merged_into, wilson DESC)`,
    `CREATE INDEX patterns_ns_match ON patterns(namespace, kind, task_type, match_key)`,
    // Near-duplicates within one edit share their first two or last two tokens (see patterns/similarity.ts).
    `CREATE INDEX patterns_ns_head ON patterns(namespace, kind, task_type, head)`,
    `CREATE INDEX patterns_ns_tail ON patterns(namespace, kind, task_type, tail)`,
    `CREATE INDEX patterns_merged ON patterns(merged_into) WHERE merged_into IS NOT NULL`,
    `CREATE VIRTUAL TABLE patterns_fts USING fts5(description, tokens, tags, task_type, domain, content='patterns', content_rowid='rowid', tokenize='porter unicode61')`,
    `CREATE TRIGGER patterns_ai AFTER INSERT ON patterns BEGIN
       INSERT INTO patterns_fts(rowid, description, tokens, tags, task_type, domain) VALUES (new.rowid, new.description, new.tokens, new.tags, new.task_type, new.domain);
     END`,
    `CREATE TRIGGER patterns_ad AFTER DELETE ON patterns BEGIN
       INSERT INTO patterns_fts(patterns_fts, rowid, description, tokens, tags, task_type, domain) VALUES ('delete', old.rowid, old.description, old.tokens, old.tags, old.task_type, old.domain);
     END`,
    `CREATE TRIGGER patterns_au AFTER UPDATE OF description, tokens, tags, task_type, domain ON patterns BEGIN
       INSERT INTO patterns_fts(patterns_fts, rowid, description, tokens, tags, task_type, domain) VALUES ('delete', old.rowid, old.description, old.tokens, old.tags, old.task_type, old.domain);
       INSERT INTO patterns_fts(rowid, description, tokens, tags, task_type, domain) VALUES (new.rowid, new.description, new.tokens, new.tags, new.task_type, new.domain);
     END`,
    `CREATE TABLE pattern_jobs (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       episode_id TEXT NOT NULL,
       kind TEXT NOT NULL CHECK (kind IN ('extract', 'merge')),
       payload TEXT NOT NULL DEFAULT '{}',
       created_at INTEGER NOT NULL,
       attempts INTEGER NOT NULL DEFAULT 0,
       last_error TEXT
     )`,
    `CREATE INDEX pattern_jobs_order ON pattern_jobs(attempts, created_at)`,
  ],
};
