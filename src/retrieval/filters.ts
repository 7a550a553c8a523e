import { type DocColumns, FLAG, TYPE_CODE } from './columns.js';
import type { RetrievalFilters } from './types.js';

/**
 * A bitmap over slots (1 = passes) for `filters`, or undefined when they exclude no document held.
 * Strings compare case-insensitively; `types`/`kinds` admit any listed value; every tag must be
 * present; `since`/`until` bound `occurredAt` inclusively; hidden documents pass only with
 * `includeHidden` (so while any is held, even no filters give a mask). One pass over the
 * columns: at 100k documents a fraction of a millisecond, and hot loops then test one byte.
 */
export function filterMask(columns: DocColumns, filters: RetrievalFilters | undefined, size: number): Uint8Array | undefined {
  const hide = columns.hiddenCount > 0 && !filters?.includeHidden;
  if (!filters) return hide ? visibleMask(columns) : undefined;
  const n = columns.slotLimit;
  const since = filters.since ?? -Infinity;
  const until = filters.until ?? Infinity;
  const timed = filters.since !== undefined || filters.until !== undefined;

  let types: Uint8Array | undefined;
  if (filters.types && filters.types.length > 0) {
    types = new Uint8Array(4);
    let admitted = 0;
    for (const t of new Set(filters.types.map((x) => x.toLowerCase()))) {
      const code = TYPE_CODE[t as keyof typeof TYPE_CODE];
      if (code === undefined) continue;
      types[code] = 1;
      admitted += columns.typeCount(code);
    }
    // Every document held is of an admitted type: the constraint excludes nothing.
    if (admitted === size) types = undefined;
    else if (admitted === 0) return new Uint8Array(n);
  }
  const codes = (values: readonly string[]): Set<number> => new Set(values.flatMap((v) => columns.codesLike(v)));
  const one = (column: Int32Array, values: readonly string[]) => ({ column, admitted: codes(values) });
  const fields = [
    ...(filters.kinds && filters.kinds.length > 0 ? [one(columns.kind, filters.kinds)] : []),
    ...(filters.taskType !== undefined ? [one(columns.taskType, [filters.taskType])] : []),
    ...(filters.domain !== undefined ? [one(columns.domain, [filters.domain])] : []),
    ...(filters.outcome !== undefined ? [one(columns.outcome, [filters.outcome])] : []),
  ];
  const tags = (filters.tags ?? []).map((t) => codes([t]));
  if (!types && fields.length === 0 && tags.length === 0 && !timed) return hide ? visibleMask(columns) : undefined;
  if (fields.some((f) => f.admitted.size === 0) || tags.some((t) => t.size === 0)) return new Uint8Array(n);

  const mask = new Uint8Array(n);
  const type = columns.type;
  const occurred = columns.occurredAt;
  const flags = columns.flags;
  for (let slot = 0; slot < n; slot++) {
    const code = type[slot] as number;
    if (code === 0 || (types && types[code] === 0)) continue;
    if (hide && ((flags[slot] as number) & FLAG.hidden) !== 0) continue;
    const at = occurred[slot] as number;
    if (at < since || at > until) continue;
    if (!fields.every((f) => f.admitted.has(f.column[slot] as number))) continue;
    if (tags.length > 0) {
      const held = columns.tagCodes(slot);
      if (!tags.every((admitted) => held.some((c) => admitted.has(c)))) continue;
    }
    mask[slot] = 1;
  }
  return mask;
}

/** Every document held that is not hidden. */
function visibleMask(columns: DocColumns): Uint8Array {
  const n = columns.slotLimit;
  const mask = new Uint8Array(n);
  const { type, flags } = columns;
  for (let slot = 0; slot < n; slot++) if (type[slot] !== 0 && ((flags[slot] as number) & FLAG.hidden) === 0) mask[slot] = 1;
  return mask;
}
