import { reciprocalRankFusion } from '../retrieval/index.js';
import type { MemoryQuery, SearchEngine, SearchHit } from './types.js';
import { capabilities } from './with-patterns.js';

/**
 * Wraps any search engine so that one query can read several namespaces (a project's and the
 * global one): each namespace is searched by the inner engine with the same query, every hit is
 * marked with the namespace it came from, and the ranked lists are merged by reciprocal rank
 * fusion — scores of two indexes are not comparable, ranks are. Each merged hit keeps its own
 * score as `source_score`; ties go to the first namespace. A query of one namespace passes through
 * with its scores unchanged.
 */
export function withNamespaces(inner: SearchEngine): SearchEngine {
  return {
    ...capabilities(inner),
    name: inner.name,
    async search(ns: string, q: MemoryQuery, now: number): Promise<SearchHit[]> {
      const { alsoIn, ...query } = q;
      const namespaces = [...new Set([ns, ...(alsoIn ?? [])])];
      const lists = await Promise.all(namespaces.map(async (n) => (await inner.search(n, query, now)).map((h) => ({ ...h, namespace: n }))));
      return lists.length === 1 ? lists[0]! : fuse(lists).slice(0, q.limit);
    },
  };
}

function fuse(lists: SearchHit[][]): SearchHit[] {
  const key = (h: SearchHit) => `${h.namespace}\u0000${h.id}`;
  const first = new Map<string, SearchHit>();
  for (const list of lists) for (const h of list) if (!first.has(key(h))) first.set(key(h), h);
  const fused = reciprocalRankFusion(lists.map((list) => ({ keys: list.map(key), weight: 1 })));
  return [...fused]
    .map(([k, score]) => {
      const h = first.get(k)!;
      return { ...h, score, parts: { ...h.parts, source_score: h.score } };
    })
    .sort((a, b) => b.score - a.score);
}
