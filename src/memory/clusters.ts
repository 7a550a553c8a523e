import type { DuplicateEdge, DuplicateItem, Features } from './duplicates.js';
import type { MergeRule } from './types.js';

/** A cluster's merges: every member but the canonical one is hidden behind it. */
export interface PlannedCluster {
  target: number;
  members: Array<{ source: number; rule: MergeRule; score: number }>;
  /** Tags of every member (the canonical's first) and the highest importance. */
  tags: string[];
  importance: number;
}

/**
 * Groups items joined by edges into clusters, strongest edges first. Two groups joined by a vector
 * edge must also pass `compatible` between their canonical members (no drift along a chain of
 * pairwise-similar texts), and no pair `apart` may end up in one cluster. The canonical member is
 * the most used, then the oldest (the id clients have held longest). `similarity(a, b)` reports a member's
 * score against its canonical when known.
 */
export function clusters(
  items: readonly DuplicateItem[],
  f: readonly Features[],
  edges: readonly DuplicateEdge[],
  apart: (a: number, b: number) => boolean,
  compatible: (a: number, b: number) => boolean,
  similarity: (a: number, b: number) => number | undefined,
): PlannedCluster[] {
  const parent = new Map<number, number>();
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const better = (a: number, b: number) => {
    const x = items[a]!;
    const y = items[b]!;
    return x.accessCount - y.accessCount || y.createdAt - x.createdAt || (x.id < y.id ? 1 : -1);
  };
  const canonical = (root: number) => (members.get(root) ?? [root]).reduce((best, m) => (better(m, best) > 0 ? m : best));

  const sorted = [...edges].sort((x, y) => (x.rule === y.rule ? y.score - x.score : x.rule === 'same-text' ? -1 : 1));
  for (const e of sorted) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) continue;
    const ma = members.get(ra) ?? [ra];
    const mb = members.get(rb) ?? [rb];
    if (ma.some((x) => mb.some((y) => apart(x, y)))) continue;
    if (e.rule === 'vector' && !compatible(canonical(ra), canonical(rb))) continue;
    parent.set(rb, ra);
    parent.set(ra, ra);
    members.set(ra, [...ma, ...mb]);
    members.delete(rb);
  }

  const out: PlannedCluster[] = [];
  for (const group of members.values()) {
    const target = group.reduce((best, m) => (better(m, best) > 0 ? m : best));
    const tags = [...new Set([target, ...group].flatMap((m) => items[m]!.tags))];
    const importance = Math.max(...group.map((m) => items[m]!.importance));
    const rest = group.filter((m) => m !== target).sort((a, b) => items[a]!.createdAt - items[b]!.createdAt);
    out.push({
      target,
      tags,
      importance,
      members: rest.map((m) =>
        f[m]!.key === f[target]!.key
          ? { source: m, rule: 'same-text' as const, score: 1 }
          : { source: m, rule: 'vector' as const, score: similarity(m, target) ?? 0 },
      ),
    });
  }
  return out;
}
