import type { Migration } from './types.js';

/** ADHD support: task trees, energy readings, focus sessions, breaks and check-ins. */
export const m003Adhd: Migration = {
  version: 3,
  name: 'adhd',
  up: [
    `CREATE TABLE adhd_tasks (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       root_id TEXT NOT NULL,
       parent_id TEXT REFERENCES adhd_tasks(id) ON DELETE CASCADE,
       position INTEGER NOT NULL,
       title TEXT NOT NULL,
       category TEXT,
       energy TEXT CHECK (energy IN ('low', 'medium', 'high')),
       needs_focus INTEGER NOT NULL DEFAULT 0,
       is_starter INTEGER NOT NULL DEFAULT 0,
       raw_minutes REAL,
       estimate_source TEXT NOT NULL,
       realistic_minutes REAL,
       multiplier REAL,
       why TEXT,
       status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'dropped')),
       actual_minutes REAL,
       notes TEXT NOT NULL DEFAULT '[]',
       deadline INTEGER,
       created_at INTEGER NOT NULL,
       updated_at INTEGER NOT NULL,
       started_at INTEGER,
       completed_at INTEGER
     )`,
    `CREATE INDEX adhd_tasks_ns_status ON adhd_tasks(namespace, status, updated_at)`,
    `CREATE INDEX adhd_tasks_parent ON adhd_tasks(parent_id, position)`,
    `CREATE INDEX adhd_tasks_root ON adhd_tasks(root_id)`,
    `CREATE TABLE adhd_energy (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       at INTEGER NOT NULL,
       level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 10),
       attention TEXT NOT NULL,
       mood TEXT,
       note TEXT,
       created_at INTEGER NOT NULL
     )`,
    `CREATE INDEX adhd_energy_ns_at ON adhd_energy(namespace, at)`,
    `CREATE TABLE adhd_focus_sessions (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       task_id TEXT,
       topic TEXT,
       started_at INTEGER NOT NULL,
       ended_at INTEGER
     )`,
    // At most one running session per namespace, enforced by the database across processes.
    `CREATE UNIQUE INDEX adhd_focus_one_active ON adhd_focus_sessions(namespace) WHERE ended_at IS NULL`,
    `CREATE INDEX adhd_focus_ns_start ON adhd_focus_sessions(namespace, started_at)`,
    `CREATE INDEX adhd_focus_task ON adhd_focus_sessions(task_id)`,
    `CREATE TABLE adhd_breaks (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       session_id TEXT,
       kind TEXT NOT NULL CHECK (kind IN ('break', 'water', 'movement', 'meal')),
       at INTEGER NOT NULL
     )`,
    `CREATE INDEX adhd_breaks_ns_kind_at ON adhd_breaks(namespace, kind, at)`,
    `CREATE TABLE adhd_check_ins (
       id TEXT PRIMARY KEY,
       namespace TEXT NOT NULL,
       condition_key TEXT NOT NULL,
       kind TEXT NOT NULL,
       severity TEXT NOT NULL,
       message TEXT NOT NULL,
       details TEXT NOT NULL DEFAULT '{}',
       created_at INTEGER NOT NULL,
       acknowledged_at INTEGER,
       cleared_at INTEGER
     )`,
    // One open check-in per condition: a condition is not reported again until it has cleared.
    `CREATE UNIQUE INDEX adhd_check_ins_open ON adhd_check_ins(namespace, condition_key) WHERE cleared_at IS NULL`,
    `CREATE INDEX adhd_check_ins_ns_created ON adhd_check_ins(namespace, created_at)`,
  ],
};
