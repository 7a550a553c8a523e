/** Turns free text into a safe FTS5 MATCH expression: each word quoted, OR-ed together; null when it has no words. */
export function toFtsMatch(query: string): string | null {
  const words =
    query
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}_]+/gu) ?? [];
  const unique = [...new Set(words)].slice(0, 64);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"`).join(' OR ');
}
