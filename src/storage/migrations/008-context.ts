import type { Migration } from './types.js';

/**
 * An index for context packs: the newest live memories of a namespace by kind (preferences,
 * facts, session summaries), read at every Claude Code session start.
 */
export const m008Context: Migration = {
  version: 8,
  name: 'context',
  up: [`CREATE INDEX memories_ns_kind_time ON memories(namespace, kind, created_at) WHERE deleted_at IS NULL`],
};
