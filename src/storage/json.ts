/** Parses a JSON TEXT column, returning `fallback` for NULL. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  return JSON.parse(String(value)) as T;
}

/** Reads a nullable column as string | null. */
export function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Reads a nullable column as number | null. */
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
