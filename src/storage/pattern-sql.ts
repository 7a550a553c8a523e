import type { Row } from '@libsql/client';
import { type MergeCandidate, PATTERN_KINDS, type PatternHead, type PatternRecord, type PatternWrite } from '../patterns/types.js';
import { finite, jsonObject, jsonStrings, oneOf, str } from './json.js';
import { rowMapper } from './rows.js';
import type { SqlArgs } from './types.js';

/** Most supporting episode ids kept per pattern (the most recent). */
export const MAX_EPISODE_IDS = 20;
/** z of the Wilson bound maintained in the `wilson` column (95%). */
const Z = 1.959963984540054;

/** Columns written by an upsert, in order. */
const COLS = [
  'id',
  'namespace',
  'kind',
  'key',
  'match_key',
  'description',
  'tokens',
  'size',
  'head',
  'tail',
  'data',
  'task_type',
  'domain',
  'language',
  'tags',
  'occurrences',
  'successes',
  'latency_total',
  'latency_count',
  'wilson',
  'episode_ids',
  'first_seen',
  'last_seen',
  'created_at',
  'updated_at',
] as const;

/** SQL for the Wilson lower bound of `s` successes in `n` trials. */
export function wilsonSql(n: string, s: string): string {
  const p = `((${s}) * 1.0 / (${n}))`;
  const z2 = Z * Z;
  return `(CASE WHEN (${n}) <= 0 THEN 0.0 ELSE max(0.0, (${p} + ${z2} / (2.0 * (${n})) - ${Z} * sqrt(${p} * (1 - ${p}) / (${n}) + ${z2} / (4.0 * (${n}) * (${n})))) / (1 + ${z2} / (${n}))) END)`;
}

/**
 * The incremental update of an existing pattern. `skipSameEpisode` leaves a pattern alone when
 * the episode already counts for it (a background job finishing an episode's extraction).
 */
const onConflict = (skipSameEpisode: boolean) => `ON CONFLICT(namespace, key) DO UPDATE SET
  occurrences = patterns.occurrences + excluded.occurrences,
  successes = patterns.successes + excluded.successes,
  latency_total = patterns.latency_total + excluded.latency_total,
  latency_count = patterns.latency_count + excluded.latency_count,
  wilson = ${wilsonSql('patterns.occurrences + excluded.occurrences', 'patterns.successes + excluded.successes')},
  episode_ids = CASE WHEN json_array_length(patterns.episode_ids) >= ${MAX_EPISODE_IDS}
    THEN json_insert(json_remove(patterns.episode_ids, '$[0]'), '$[#]', excluded.episode_ids ->> '$[0]')
    ELSE json_insert(patterns.episode_ids, '$[#]', excluded.episode_ids ->> '$[0]') END,
  first_seen = min(patterns.first_seen, excluded.first_seen),
  last_seen = max(patterns.last_seen, excluded.last_seen),
  updated_at = excluded.updated_at
WHERE patterns.merged_into IS NULL${
  skipSameEpisode ? ` AND NOT EXISTS (SELECT 1 FROM json_each(patterns.episode_ids) WHERE json_each.value = excluded.episode_ids ->> '$[0]')` : ''
}
RETURNING key, id, occurrences, successes`;

const SEP = '\u001e';
/** First two tokens: the blocking key for near-duplicates that differ late. */
export const headOf = (tokens: readonly string[]) => tokens.slice(0, 2).join(SEP);
/** Last two tokens: the blocking key for near-duplicates that differ early. */
export const tailOf = (tokens: readonly string[]) => tokens.slice(-2).join(SEP);

/** Wilson bound of one success in one trial. */
const wilson1 = (1 + (Z * Z) / 2 - Z * Math.sqrt((Z * Z) / 4)) / (1 + Z * Z);

function writeArgs(ns: string, w: PatternWrite): SqlArgs {
  const s = w.success ? 1 : 0;
  return [
    w.id,
    ns,
    w.kind,
    w.key,
    w.matchKey,
    w.description,
    JSON.stringify(w.tokens),
    w.tokens.length,
    headOf(w.tokens),
    tailOf(w.tokens),
    JSON.stringify(w.data),
    w.taskType,
    w.domain,
    w.language,
    JSON.stringify(w.tags),
    1,
    s,
    w.latencyMs ?? 0,
    w.latencyMs === null ? 0 : 1,
    s === 1 ? wilson1 : 0,
    JSON.stringify([w.episodeId]),
    w.at,
    w.at,
    w.at,
    w.at,
  ];
}

const ROW_PARAMS = `(${COLS.map(() => '?').join(', ')})`;
/** Rows per upsert statement (SQLite allows 32 766 parameters). */
export const CHUNK = 400;

/**
 * One multi-row upsert: new keys are inserted, existing live ones gain one occurrence. With
 * `guardJobId` it does nothing unless that job row still exists and skips patterns that already
 * count the episode (used by background jobs, which must apply exactly once).
 */
export function upsertStatement(ns: string, writes: PatternWrite[], guardJobId?: string): { sql: string; args: SqlArgs } {
  const args: SqlArgs = writes.flatMap((w) => writeArgs(ns, w));
  const values = writes.map(() => ROW_PARAMS).join(', ');
  if (guardJobId === undefined) return { sql: `INSERT INTO patterns (${COLS.join(', ')}) VALUES ${values} ${onConflict(false)}`, args };
  const columns = COLS.map((_, i) => `column${i + 1}`).join(', ');
  return {
    sql: `INSERT INTO patterns (${COLS.join(', ')}) SELECT ${columns} FROM (VALUES ${values}) WHERE EXISTS (SELECT 1 FROM pattern_jobs WHERE id = ?) ${onConflict(true)}`,
    args: [...args, guardJobId],
  };
}

/** Maps the head columns of a `patterns` row. */
export const toHead = rowMapper(
  'patterns',
  (row: Row): PatternHead => ({
    id: String(row.id),
    key: String(row.key),
    kind: String(row.kind),
    description: String(row.description),
    occurrences: finite(row.occurrences, 'occurrences'),
    successes: finite(row.successes, 'successes'),
    mergedInto: str(row.merged_into),
  }),
);

/** Maps the comparison columns of a `patterns` row. */
export const toCandidate = rowMapper(
  'patterns',
  (row: Row): MergeCandidate => ({
    id: String(row.id),
    kind: String(row.kind),
    taskType: String(row.task_type),
    domain: String(row.domain),
    language: str(row.language),
    tags: jsonStrings(row.tags, 'tags'),
    tokens: jsonStrings(row.tokens, 'tokens'),
    episodeIds: jsonStrings(row.episode_ids, 'episode_ids'),
    occurrences: finite(row.occurrences, 'occurrences'),
    firstSeen: finite(row.first_seen, 'first_seen'),
    mergedInto: str(row.merged_into),
  }),
);

/** Maps a `patterns` row to a record; throws on a value it cannot read (callers skip the row with `mapRows`). */
export const toPattern = rowMapper(
  'patterns',
  (row: Row): PatternRecord => ({
    id: String(row.id),
    namespace: String(row.namespace),
    kind: oneOf(row.kind, PATTERN_KINDS, 'kind'),
    key: String(row.key),
    matchKey: String(row.match_key),
    description: String(row.description),
    tokens: jsonStrings(row.tokens, 'tokens'),
    data: jsonObject(row.data, 'data'),
    taskType: String(row.task_type),
    domain: String(row.domain),
    language: str(row.language),
    tags: jsonStrings(row.tags, 'tags'),
    occurrences: finite(row.occurrences, 'occurrences'),
    successes: finite(row.successes, 'successes'),
    latencyTotal: finite(row.latency_total, 'latency_total'),
    latencyCount: finite(row.latency_count, 'latency_count'),
    wilson: finite(row.wilson, 'wilson'),
    episodeIds: jsonStrings(row.episode_ids, 'episode_ids'),
    firstSeen: finite(row.first_seen, 'first_seen'),
    lastSeen: finite(row.last_seen, 'last_seen'),
    mergedInto: str(row.merged_into),
  }),
);
