import type { Row } from '@libsql/client';
import { MEMORY_KINDS, type MemoryKind, type MemoryRecord } from '../memory/types.js';
import { finite, finiteOrNull, jsonObject, jsonStrings, oneOf, str } from './json.js';
import { rowMapper } from './rows.js';

/** Not forgotten, superseded or merged: what default queries see (on a row aliased `m`). */
export const VISIBLE_SQL = 'm.deleted_at IS NULL AND m.superseded_by IS NULL AND m.merged_into IS NULL';

/** Maps a `memories` row to a record; throws on a value it cannot read (callers skip the row with `mapRows`). */
export const toMemory = rowMapper(
  'memories',
  (row: Row): MemoryRecord => ({
    id: String(row.id),
    namespace: String(row.namespace),
    content: String(row.content),
    kind: oneOf<MemoryKind>(row.kind, MEMORY_KINDS, 'kind'),
    tags: jsonStrings(row.tags, 'tags'),
    importance: finite(row.importance, 'importance'),
    occurredAt: finiteOrNull(row.occurred_at, 'occurred_at'),
    source: str(row.source),
    metadata: jsonObject(row.metadata, 'metadata'),
    contentHash: String(row.content_hash),
    createdAt: finite(row.created_at, 'created_at'),
    updatedAt: finite(row.updated_at, 'updated_at'),
    deletedAt: finiteOrNull(row.deleted_at, 'deleted_at'),
    deletedReason: str(row.deleted_reason),
    supersededBy: str(row.superseded_by),
    mergedInto: str(row.merged_into),
    decay: row.decay === undefined || row.decay === null ? 1 : finite(row.decay, 'decay'),
    accessCount: row.access_count === undefined || row.access_count === null ? 0 : finite(row.access_count, 'access_count'),
    lastAccessedAt: finiteOrNull(row.last_accessed_at, 'last_accessed_at'),
  }),
);

/** Maps the columns of a recent-memories listing (id, content, kind, created_at). */
export const toRecentMemory = rowMapper('memories', (r: Row) => ({
  id: String(r.id),
  content: String(r.content),
  kind: oneOf<MemoryKind>(r.kind, MEMORY_KINDS, 'kind'),
  createdAt: finite(r.created_at, 'created_at'),
}));
