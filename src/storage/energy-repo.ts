import type { Row } from '@libsql/client';
import { ATTENTION_STATES, type EnergyReading } from '../adhd/types.js';
import { finite, num, oneOf, str } from './json.js';
import { mapFirst, mapRows, rowMapper } from './rows.js';
import type { Db } from './types.js';

/** SQL for energy readings. Every statement is scoped by namespace. */
export interface EnergyRepo {
  insertEnergy(row: EnergyReading): Promise<void>;
  /** Readings with `since <= at <= until`, oldest first. */
  energyBetween(ns: string, since: number, until: number): Promise<EnergyReading[]>;
  /** The latest reading at or before `at`. */
  latestEnergy(ns: string, at: number): Promise<EnergyReading | null>;
  /** Time of the latest reading, or null. */
  lastActivityAt(ns: string): Promise<number | null>;
  /** Namespaces holding any reading. */
  namespaces(): Promise<string[]>;
}

/** Creates the energy repository over `db`. */
export function createEnergyRepo(db: Db): EnergyRepo {
  return {
    async insertEnergy(r) {
      await db.execute('INSERT INTO adhd_energy (id, namespace, at, level, attention, mood, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        r.id,
        r.namespace,
        r.at,
        r.level,
        r.attention,
        r.mood,
        r.note,
        r.createdAt,
      ]);
    },
    energyBetween: async (ns, since, until) =>
      mapRows(
        db,
        (await db.execute('SELECT * FROM adhd_energy WHERE namespace = ? AND at >= ? AND at <= ? ORDER BY at, id', [ns, since, until])).rows,
        toEnergy,
      ),
    async latestEnergy(ns, at) {
      const rs = await db.execute('SELECT * FROM adhd_energy WHERE namespace = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1', [ns, at]);
      return mapFirst(db, rs.rows, toEnergy);
    },
    lastActivityAt: async (ns) => num((await db.execute('SELECT MAX(at) AS t FROM adhd_energy WHERE namespace = ?', [ns])).rows[0]?.t),
    namespaces: async () => (await db.execute('SELECT DISTINCT namespace FROM adhd_energy')).rows.map((r) => String(r.namespace)),
  };
}

const toEnergy = rowMapper(
  'adhd_energy',
  (r: Row): EnergyReading => ({
    id: String(r.id),
    namespace: String(r.namespace),
    at: finite(r.at, 'at'),
    level: finite(r.level, 'level'),
    attention: oneOf(r.attention, ATTENTION_STATES, 'attention'),
    mood: str(r.mood),
    note: str(r.note),
    createdAt: finite(r.created_at, 'created_at'),
  }),
);
