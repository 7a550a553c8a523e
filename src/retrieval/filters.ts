import type { RetrievalDoc, RetrievalFilters } from './types.js';

/**
 * Inverted indexes of the filterable attributes, so a filter becomes a slot bitmap in time
 * proportional to the documents it admits (not to the namespace), and hot loops test one byte.
 */
export interface FilterIndex {
  add(slot: number, doc: RetrievalDoc): void;
  remove(slot: number, doc: RetrievalDoc): void;
  /**
   * A bitmap over slots (1 = passes), or undefined when `filters` restricts nothing. Strings
   * compare case-insensitively; `types`/`kinds` admit any listed value; every tag must be present;
   * hidden documents pass only with `includeHidden`.
   */
  mask(filters: RetrievalFilters | undefined, slotLimit: number): Uint8Array | undefined;
}

type Field = 'type' | 'kind' | 'tag' | 'taskType' | 'domain' | 'outcome';

const lower = (s: string) => s.toLowerCase();

/** The (field, value) pairs a document is indexed under. */
function entries(doc: RetrievalDoc): Array<[Field, string]> {
  const out: Array<[Field, string]> = [['type', doc.type]];
  if (doc.kind !== undefined) out.push(['kind', lower(doc.kind)]);
  for (const t of new Set(doc.tags.map(lower))) out.push(['tag', t]);
  if (doc.taskType !== undefined) out.push(['taskType', lower(doc.taskType)]);
  if (doc.domain !== undefined) out.push(['domain', lower(doc.domain)]);
  if (doc.outcome !== undefined) out.push(['outcome', lower(doc.outcome)]);
  return out;
}

/** Creates an empty filter index. */
export function createFilterIndex(): FilterIndex {
  const sets = new Map<string, Set<number>>();
  const live = new Set<number>();
  const hidden = new Set<number>();
  let occurred = new Float64Array(64);
  const key = (field: Field, value: string) => `${field}\u0000${value}`;

  /** Slots admitted by one constraint: the union over its accepted values. */
  const admitted = (field: Field, values: readonly string[]): Set<number> => {
    if (values.length === 1) return sets.get(key(field, lower(values[0] as string))) ?? new Set();
    const union = new Set<number>();
    for (const v of values) for (const slot of sets.get(key(field, lower(v))) ?? []) union.add(slot);
    return union;
  };

  return {
    add(slot, doc) {
      live.add(slot);
      if (doc.hidden) hidden.add(slot);
      if (slot >= occurred.length) {
        const next = new Float64Array(Math.max(slot + 1, occurred.length * 2));
        next.set(occurred);
        occurred = next;
      }
      occurred[slot] = doc.occurredAt;
      for (const [field, value] of entries(doc)) {
        const k = key(field, value);
        let set = sets.get(k);
        if (!set) sets.set(k, (set = new Set()));
        set.add(slot);
      }
    },
    remove(slot, doc) {
      live.delete(slot);
      hidden.delete(slot);
      for (const [field, value] of entries(doc)) {
        const k = key(field, value);
        const set = sets.get(k);
        set?.delete(slot);
        if (set?.size === 0) sets.delete(k);
      }
    },
    mask(filters, slotLimit) {
      const hide = hidden.size > 0 && !filters?.includeHidden;
      if (!filters) return hide ? visibleMask(slotLimit) : undefined;
      const constraints: Array<Set<number>> = [];
      if (filters.types && filters.types.length > 0) constraints.push(admitted('type', filters.types));
      if (filters.kinds && filters.kinds.length > 0) constraints.push(admitted('kind', filters.kinds));
      for (const tag of filters.tags ?? []) constraints.push(admitted('tag', [tag]));
      if (filters.taskType !== undefined) constraints.push(admitted('taskType', [filters.taskType]));
      if (filters.domain !== undefined) constraints.push(admitted('domain', [filters.domain]));
      if (filters.outcome !== undefined) constraints.push(admitted('outcome', [filters.outcome]));
      const since = filters.since ?? -Infinity;
      const until = filters.until ?? Infinity;
      const timed = filters.since !== undefined || filters.until !== undefined;
      if (constraints.length === 0 && !timed) return hide ? visibleMask(slotLimit) : undefined;
      const mask = new Uint8Array(slotLimit);
      constraints.sort((a, b) => a.size - b.size);
      const [smallest, ...rest] = constraints;
      for (const slot of smallest ?? live) {
        const at = occurred[slot] as number;
        if (at < since || at > until || (hide && hidden.has(slot))) continue;
        if (rest.every((set) => set.has(slot))) mask[slot] = 1;
      }
      return mask;
    },
  };

  function visibleMask(slotLimit: number): Uint8Array {
    const mask = new Uint8Array(slotLimit);
    for (const slot of live) if (!hidden.has(slot)) mask[slot] = 1;
    return mask;
  }
}
