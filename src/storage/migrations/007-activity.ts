import type { Migration } from './types.js';

/**
 * Indexes for "when did anything last happen in this namespace" (`ActivityRepo`): idle focus
 * sessions and `recover_context`'s time away read the latest time per table, and the activity
 * since a session started, for every namespace with a running session.
 */
export const m007Activity: Migration = {
  version: 7,
  name: 'activity',
  up: [
    `CREATE INDEX episode_steps_ns_at ON episode_steps(namespace, at)`,
    `CREATE INDEX episodes_ns_started ON episodes(namespace, started_at)`,
    `CREATE INDEX episodes_ns_completed ON episodes(namespace, completed_at) WHERE completed_at IS NOT NULL`,
    `CREATE INDEX memories_ns_deleted ON memories(namespace, deleted_at) WHERE deleted_at IS NOT NULL`,
  ],
};
