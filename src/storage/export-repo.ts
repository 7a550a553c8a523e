import type { InStatement } from '@libsql/client';
import { currentVersion } from './migrate.js';
import type { Db, SqlArgs } from './types.js';

/**
 * Tables exported first, in this order, so parents come before children on import. Every other
 * table with a `namespace` column follows by name — a new table is exported without touching this
 * file; list it here only when it must precede or follow another.
 */
export const EXPORT_ORDER = [
  'memories',
  'episodes',
  'episode_steps',
  'patterns',
  'pattern_jobs',
  'adhd_tasks',
  'adhd_energy',
  'adhd_focus_sessions',
  'adhd_breaks',
  'adhd_check_ins',
];

/** Namespaced tables that are not exported (derived data rebuilt on demand). */
export const EXPORT_SKIP: ReadonlySet<string> = new Set<string>();

/** A namespaced table and its columns. */
export interface TableInfo {
  name: string;
  columns: string[];
}

/** A row as exported: column → JSON value; BLOBs as `{ "$base64": "…" }`. */
export type ExportRow = Record<string, unknown>;

/** SQL behind export and import. Every statement is scoped by namespace. */
export interface ExportRepo {
  /** Namespaced tables present in this database, in export order. */
  tables(): Promise<TableInfo[]>;
  /** Up to `limit` rows of `ns` with rowid > `afterRowid`, in rowid order, and the last rowid read. */
  page(table: TableInfo, ns: string, afterRowid: number, limit: number): Promise<{ rows: ExportRow[]; lastRowid: number }>;
  count(table: string, ns: string): Promise<number>;
  /** Every namespace with data, with its row count across namespaced tables. */
  namespaces(): Promise<Array<{ namespace: string; rows: number }>>;
  /**
   * Inserts exported rows into `ns` atomically (the namespace column is overwritten). Rows whose
   * key already exists — or that duplicate a live memory — are skipped, so importing twice is
   * harmless. Columns this database does not have are dropped and reported.
   */
  insert(table: TableInfo, ns: string, rows: ExportRow[]): Promise<{ inserted: number; skipped: number; droppedColumns: string[] }>;
  schemaVersion(): Promise<number>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the export repository over `db`. */
export function createExportRepo(db: Db): ExportRepo {
  return {
    async tables() {
      const rs = await db.execute(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
      const found: TableInfo[] = [];
      for (const row of rs.rows) {
        const name = String(row.name);
        // vec_<dim> tables are the DiskANN copies of `embeddings` (CAIRN_SEARCH=sql), rebuilt on demand.
        if (/^\s*CREATE\s+VIRTUAL/i.test(String(row.sql ?? '')) || EXPORT_SKIP.has(name) || /^vec_\d+$/.test(name)) continue;
        const cols = (await db.execute(`SELECT name FROM pragma_table_info(?)`, [name])).rows.map((c) => String(c.name));
        if (cols.includes('namespace')) found.push({ name, columns: cols });
      }
      const rank = (n: string) => {
        const i = EXPORT_ORDER.indexOf(n);
        return i < 0 ? EXPORT_ORDER.length : i;
      };
      return found.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    },
    async page(table, ns, afterRowid, limit) {
      const rs = await db.execute(`SELECT rowid AS __rowid, * FROM ${ident(table.name)} WHERE namespace = ? AND rowid > ? ORDER BY rowid LIMIT ?`, [
        ns,
        afterRowid,
        limit,
      ]);
      let last = afterRowid;
      const rows = rs.rows.map((r) => {
        last = Number(r.__rowid);
        const out: ExportRow = {};
        for (const c of table.columns) out[c] = encode(r[c]);
        return out;
      });
      return { rows, lastRowid: last };
    },
    async count(table, ns) {
      const rs = await db.execute(`SELECT COUNT(*) AS n FROM ${ident(table)} WHERE namespace = ?`, [ns]);
      return Number(rs.rows[0]?.n ?? 0);
    },
    async namespaces() {
      const tables = await this.tables();
      if (tables.length === 0) return [];
      const union = tables.map((t) => `SELECT namespace FROM ${ident(t.name)}`).join(' UNION ALL ');
      const rs = await db.execute(`SELECT namespace, COUNT(*) AS n FROM (${union}) GROUP BY namespace ORDER BY namespace`);
      return rs.rows.map((r) => ({ namespace: String(r.namespace), rows: Number(r.n) }));
    },
    async insert(table, ns, rows) {
      if (rows.length === 0) return { inserted: 0, skipped: 0, droppedColumns: [] };
      const known = new Set(table.columns);
      const dropped = new Set<string>();
      const stmts: InStatement[] = rows.map((row) => {
        const cols = Object.keys(row).filter((c) => {
          if (known.has(c)) return true;
          dropped.add(c);
          return false;
        });
        if (!cols.includes('namespace')) cols.push('namespace');
        const args = cols.map((c) => (c === 'namespace' ? ns : decode(row[c])));
        return {
          sql: `INSERT OR IGNORE INTO ${ident(table.name)} (${cols.map(ident).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          args: args as never,
        };
      });
      const results = await db.batch(stmts, 'write');
      const inserted = results.reduce((n, r) => n + r.rowsAffected, 0);
      return { inserted, skipped: rows.length - inserted, droppedColumns: [...dropped] };
    },
    schemaVersion: () => currentVersion(db),
  };
}

function encode(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return { $base64: Buffer.from(v).toString('base64') };
  if (ArrayBuffer.isView(v)) return { $base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function decode(v: unknown): SqlArgs[number] {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && typeof (v as { $base64?: unknown }).$base64 === 'string')
    return new Uint8Array(Buffer.from((v as { $base64: string }).$base64, 'base64'));
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number | boolean;
}
