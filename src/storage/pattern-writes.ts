import type { ResultSet } from '@libsql/client';
import type { PatternHead, PatternJob, PatternPlan, PatternPlanResult, PatternWrite, UpsertedRow } from '../patterns/types.js';
import { CHUNK, toHead, upsertStatement } from './pattern-sql.js';
import { isTransient } from './resilience.js';
import { mapRows, type RowMapper } from './rows.js';
import type { SqlArgs, Tx } from './types.js';

/** Runs one statement on the database or inside a transaction. */
export type Exec = (sql: string, args: SqlArgs) => Promise<ResultSet>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const HEAD_COLS = 'id, key, kind, description, occurrences, successes, merged_into';

/**
 * Rows of `patterns` whose `col` is one of `values`, 500 per statement. A row `map` cannot read is
 * skipped and reported to `db`'s skipped-row report (rows.ts), even when `exec` runs in its transaction.
 */
export async function fetchBy<T>(exec: Exec, db: object, ns: string, col: 'key' | 'id', values: string[], columns: string, map: RowMapper<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += 500) {
    const part = values.slice(i, i + 500);
    const rs = await exec(`SELECT ${columns} FROM patterns WHERE namespace = ? AND ${col} IN (${marks(part.length)})`, [ns, ...part]);
    out.push(...mapRows(db, rs.rows, map));
  }
  return out;
}

/** Live patterns for `keys`, following merge redirects; the map is keyed by the asked key. Unreadable rows are reported to `db`. */
export async function resolveKeys(exec: Exec, db: object, ns: string, keys: string[]): Promise<Map<string, PatternHead>> {
  const found = new Map<string, PatternHead>();
  const rows = await fetchBy(exec, db, ns, 'key', [...new Set(keys)], HEAD_COLS, toHead);
  let pending = new Map<string, string[]>();
  for (const r of rows) {
    if (r.mergedInto === null) found.set(r.key, r);
    else pending.set(r.mergedInto, [...(pending.get(r.mergedInto) ?? []), r.key]);
  }
  // Merges flatten alias chains, so one hop is usual; a few allow for a merge racing this read.
  for (let hop = 0; hop < 5 && pending.size > 0; hop++) {
    const next = new Map<string, string[]>();
    for (const t of await fetchBy(exec, db, ns, 'id', [...pending.keys()], HEAD_COLS, toHead)) {
      const asked = pending.get(t.id) ?? [];
      if (t.mergedInto === null) for (const k of asked) found.set(k, t);
      else next.set(t.mergedInto, [...(next.get(t.mergedInto) ?? []), ...asked]);
    }
    pending = next;
  }
  return found;
}

/** Inserts or reinforces patterns, one statement per chunk; rows redirected by a merge are skipped (absent from the result). */
export async function upsertWrites(exec: Exec, ns: string, writes: PatternWrite[]): Promise<UpsertedRow[]> {
  const out: UpsertedRow[] = [];
  for (let i = 0; i < writes.length; i += CHUNK) {
    const { sql, args } = upsertStatement(ns, writes.slice(i, i + CHUNK));
    const rs = await exec(sql, args);
    for (const r of rs.rows) {
      const occurrences = Number(r.occurrences);
      // Every write adds exactly one occurrence, so a row holding one was created by this write.
      out.push({ key: String(r.key), id: String(r.id), occurrences, successes: Number(r.successes), inserted: occurrences === 1 });
    }
  }
  return out;
}

/** The statement that queues a job. */
export function insertJobArgs(job: PatternJob): [string, SqlArgs] {
  return [
    'INSERT INTO pattern_jobs (id, namespace, episode_id, kind, payload, created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)',
    [job.id, job.namespace, job.episodeId, job.kind, JSON.stringify(job.payload), job.createdAt],
  ];
}

/**
 * Upserts inside a transaction. Keys merged away since they were resolved are skipped by the
 * upsert; those are resolved again here and written to their live pattern, unless this episode
 * already counted for it. Rows come back under the key that was asked.
 */
async function upsertAll(exec: Exec, db: object, ns: string, writes: PatternWrite[]): Promise<UpsertedRow[]> {
  const rows = await upsertWrites(exec, ns, writes);
  const done = new Set(rows.map((r) => r.key));
  let missing = writes.filter((w) => !done.has(w.key));
  for (let round = 0; round < 3 && missing.length > 0; round++) {
    const live = await resolveKeys(
      exec,
      db,
      ns,
      missing.map((w) => w.key),
    );
    const retry = new Map<string, PatternWrite>();
    const askedFor = new Map<string, string>();
    for (const w of missing) {
      const target = live.get(w.key);
      if (!target || done.has(target.key) || retry.has(target.key)) continue;
      retry.set(target.key, { ...w, key: target.key });
      askedFor.set(target.key, w.key);
    }
    const more = await upsertWrites(exec, ns, [...retry.values()]);
    for (const r of more) {
      done.add(r.key);
      rows.push({ ...r, key: askedFor.get(r.key) ?? r.key });
    }
    missing = [...retry.values()].filter((w) => !done.has(w.key)).map((w) => ({ ...w, key: askedFor.get(w.key) ?? w.key }));
  }
  return rows;
}

/**
 * Persists a completion's pattern plan inside the caller's transaction. The writes, the merge job
 * and `jobs` go in one savepoint; if that fails for a reason other than contention, the savepoint
 * is rolled back and only `plan.fallback` is queued. Transient errors propagate, failing the whole
 * transaction, as does any failure of a plan without a fallback. `db` is the database `tx` belongs
 * to: stored rows the plan cannot read are reported there.
 */
export async function persistPatternPlan(tx: Tx, plan: PatternPlan, db: object): Promise<PatternPlanResult> {
  if (plan.writes.length === 0 && plan.jobs.length === 0) return { rows: [], jobIds: [], fellBack: null };
  const exec: Exec = (sql, args) => tx.execute(sql, args);
  try {
    return await tx.savepoint(async (sp) => {
      const inner: Exec = (sql, args) => sp.execute(sql, args);
      const rows = plan.writes.length ? await upsertAll(inner, db, plan.namespace, plan.writes) : [];
      const kindOf = new Map(plan.writes.map((w) => [w.key, w.kind]));
      const fresh = plan.merge ? rows.filter((r) => r.inserted && plan.merge!.kinds.includes(kindOf.get(r.key) ?? '')).map((r) => r.id) : [];
      const merge = plan.merge && fresh.length > 0 ? [{ ...plan.merge.job, payload: { ...plan.merge.job.payload, pattern_ids: fresh } }] : [];
      const jobs = [...merge, ...plan.jobs];
      for (const job of jobs) await inner(...insertJobArgs(job));
      return { rows, jobIds: jobs.map((j) => j.id), fellBack: null };
    });
  } catch (err) {
    if (isTransient(err) || !plan.fallback) throw err;
    await exec(...insertJobArgs(plan.fallback));
    return { rows: [], jobIds: [plan.fallback.id], fellBack: err instanceof Error ? err.message : String(err) };
  }
}
