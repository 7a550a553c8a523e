/**
 * Readers of stored columns. Rows can be written by an older Cairn, an import or another tool
 * straight into SQLite, so a reader checks what the record type promises and throws (naming the
 * column) when a value cannot be used; `mapRows` (rows.ts) then skips that one row.
 */

/** Parses a JSON TEXT column, returning `fallback` for NULL. Throws on text that is not JSON. */
export function parseJson<T>(value: unknown, fallback: T, column = 'column'): T {
  if (value === null || value === undefined) return fallback;
  try {
    return JSON.parse(String(value)) as T;
  } catch {
    throw new Error(`${column} is not JSON (${preview(value)})`);
  }
}

/** A JSON array of strings (NULL → []). */
export function jsonStrings(value: unknown, column: string): string[] {
  const v = parseJson<unknown>(value, [], column);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${column} is not a JSON array of strings (${preview(value)})`);
  return v;
}

/** A JSON array whose items pass `isItem` (NULL → []). */
export function jsonList<T>(value: unknown, column: string, isItem: (item: unknown) => item is T): T[] {
  const v = parseJson<unknown>(value, [], column);
  if (!Array.isArray(v) || !v.every(isItem)) throw new Error(`${column} is not a JSON array of the expected items (${preview(value)})`);
  return v;
}

/** A JSON object (NULL → {}). */
export function jsonObject(value: unknown, column: string): Record<string, unknown> {
  const v = parseJson<unknown>(value, {}, column);
  if (!isPlainObject(v)) throw new Error(`${column} is not a JSON object (${preview(value)})`);
  return v;
}

/** A JSON object, or null for NULL. */
export function jsonObjectOrNull(value: unknown, column: string): Record<string, unknown> | null {
  return value === null || value === undefined ? null : jsonObject(value, column);
}

/** A finite number (NULL, text and NaN are refused). */
export function finite(value: unknown, column: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${column} is not a number (${preview(value)})`);
  return n;
}

/** A finite number, or null for NULL. */
export function finiteOrNull(value: unknown, column: string): number | null {
  return value === null || value === undefined ? null : finite(value, column);
}

/** One of `allowed`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], column: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new Error(`${column} is ${preview(value)}, not one of ${allowed.join(', ')}`);
  return value as T;
}

/** One of `allowed`, or null for NULL. */
export function oneOfOrNull<T extends string>(value: unknown, allowed: readonly T[], column: string): T | null {
  return value === null || value === undefined ? null : oneOf(value, allowed, column);
}

/** Reads a nullable column as string | null. */
export function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Reads a nullable column as number | null. */
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
