import type { RetrievalDoc, RetrievalFilters } from './types.js';

/** What a filter looks at: the document and its lower-cased tags (computed once, at add time). */
export interface FilterTarget {
  doc: RetrievalDoc;
  tags: ReadonlySet<string>;
}

/**
 * Compiles `filters` into a predicate over documents, or undefined when nothing is filtered (so
 * hot loops can skip the call). Strings compare case-insensitively; tags must all be present.
 */
export function compileFilter(filters: RetrievalFilters | undefined): ((target: FilterTarget) => boolean) | undefined {
  if (!filters) return undefined;
  const checks: Array<(doc: RetrievalDoc) => boolean> = [];
  const tagChecks: Array<(tags: ReadonlySet<string>) => boolean> = [];
  const lower = (s: string) => s.toLowerCase();
  if (filters.types && filters.types.length > 0) {
    const types = new Set(filters.types);
    checks.push((d) => types.has(d.type));
  }
  if (filters.kinds && filters.kinds.length > 0) {
    const kinds = new Set(filters.kinds.map(lower));
    checks.push((d) => d.kind !== undefined && kinds.has(lower(d.kind)));
  }
  if (filters.tags && filters.tags.length > 0) {
    const wanted = filters.tags.map(lower);
    tagChecks.push((tags) => wanted.every((t) => tags.has(t)));
  }
  const equal = (want: string | undefined, pick: (d: RetrievalDoc) => string | undefined) => {
    if (want === undefined) return;
    const w = lower(want);
    checks.push((d) => {
      const v = pick(d);
      return v !== undefined && lower(v) === w;
    });
  };
  equal(filters.taskType, (d) => d.taskType);
  equal(filters.domain, (d) => d.domain);
  equal(filters.outcome, (d) => d.outcome);
  const { since, until } = filters;
  if (since !== undefined) checks.push((d) => d.occurredAt >= since);
  if (until !== undefined) checks.push((d) => d.occurredAt <= until);
  if (checks.length === 0 && tagChecks.length === 0) return undefined;
  return (target) => checks.every((c) => c(target.doc)) && tagChecks.every((c) => c(target.tags));
}
