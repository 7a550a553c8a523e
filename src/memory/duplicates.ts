import { anchorWords, contained, contentWords, jaccard, markerWords, textKey } from './text.js';
import type { DuplicateItem, MemoryKind, MergeRule } from './types.js';

export type { DuplicateItem };

/**
 * When two memories are near-duplicates. Both rules need the same kind, and times that agree (when
 * both have an occurred_at, at most `maxApartMs` apart: the same words on different days are
 * different happenings).
 * - `same-text`: the same text modulo white space, case, diacritics and punctuation.
 * - `vector`: a restatement — cosine ≥ `similarity`; every content word (stemmed) of the shorter
 *   text in the longer one, which adds little (Jaccard ≥ `minOverlap`); each text's numbers and
 *   names found in the other; the same marker words (negations, `now`, `no longer`, `used to`); at least
 *   `minWords` content words each. A text that swaps a word for another is never a duplicate,
 *   however alike the vectors: "budget" for "scope", "coffee" for "tea" change what is said.
 */
export interface DuplicateRules {
  /** Cosine similarity at or above which texts may say the same thing. */
  similarity: number;
  /** Default 0.6. */
  minOverlap?: number;
  /** Default one day. */
  maxApartMs?: number;
  /** Default 3. */
  minWords?: number;
}

/** A pair that passed a rule; `score` is 1 for the same text, the cosine otherwise. */
export interface DuplicateEdge {
  a: number;
  b: number;
  rule: MergeRule;
  score: number;
}

/** What the rules compare of one item. */
export interface Features {
  key: string;
  words: string[];
  /** Numbers and names: each must appear in the other text. */
  anchors: string[];
  /** Every word of the text (normalised, unstemmed). */
  tokens: ReadonlySet<string>;
  /** Negation and change words, joined: they must match exactly. */
  markers: string;
}

const DAY = 86_400_000;

/** Derives what the rules compare, once per item. */
export function features(items: readonly DuplicateItem[]): Features[] {
  return items.map((it) => {
    const key = textKey(it.content);
    return {
      key,
      words: contentWords(it.content),
      anchors: anchorWords(it.content),
      tokens: new Set(key.split(' ')),
      markers: markerWords(it.content).join(' '),
    };
  });
}

/** True when the occurred_at of two items agree (either absent, or within `maxApartMs`). */
function timesAgree(items: readonly DuplicateItem[], a: number, b: number, rules: DuplicateRules): boolean {
  const x = items[a]!.occurredAt;
  const y = items[b]!.occurredAt;
  return x === null || y === null || Math.abs(x - y) <= (rules.maxApartMs ?? DAY);
}

/** True when two items pass the lexical parts of the vector rule (everything but the cosine). */
export function lexicallyNear(items: readonly DuplicateItem[], f: readonly Features[], a: number, b: number, rules: DuplicateRules): boolean {
  const minWords = rules.minWords ?? 3;
  return (
    items[a]!.kind === items[b]!.kind &&
    f[a]!.markers === f[b]!.markers &&
    f[a]!.anchors.every((w) => f[b]!.tokens.has(w)) &&
    f[b]!.anchors.every((w) => f[a]!.tokens.has(w)) &&
    f[a]!.words.length >= minWords &&
    f[b]!.words.length >= minWords &&
    timesAgree(items, a, b, rules) &&
    contained(f[a]!.words, f[b]!.words) &&
    jaccard(f[a]!.words, f[b]!.words) >= (rules.minOverlap ?? 0.6)
  );
}

/**
 * Pairs involving at least one item with `isNew(i)`: `same` edges (same text), and `check` pairs
 * that pass every lexical part of the vector rule and still need their cosine. Since the shorter
 * text's words must all be in the longer one, candidates come from the postings of rare words only,
 * and every qualifying pair is found without comparing all pairs. `apart(a, b)` vetoes a pair.
 */
export function candidatePairs(
  items: readonly DuplicateItem[],
  f: readonly Features[],
  isNew: (i: number) => boolean,
  apart: (a: number, b: number) => boolean,
  rules: DuplicateRules,
): { same: DuplicateEdge[]; check: Array<[number, number]> } {
  const minOverlap = rules.minOverlap ?? 0.6;
  const minWords = rules.minWords ?? 3;

  const same: DuplicateEdge[] = [];
  const groups = new Map<string, number[]>();
  items.forEach((it, i) => {
    const k = `${it.kind}\u0000${f[i]!.key}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const i of g) {
      if (!isNew(i)) continue;
      const j = g.find((x) => x !== i && timesAgree(items, i, x, rules) && !apart(i, x));
      if (j !== undefined) same.push({ a: i, b: j, rule: 'same-text', score: 1 });
    }
  }

  const check: Array<[number, number]> = [];
  const byKind = new Map<MemoryKind, number[]>();
  items.forEach((it, i) => {
    if (f[i]!.words.length < minWords) return;
    const list = byKind.get(it.kind);
    if (list) list.push(i);
    else byKind.set(it.kind, [i]);
  });
  const stamp = new Int32Array(items.length).fill(-1);
  for (const members of byKind.values()) {
    const postings = new Map<string, number[]>();
    for (const i of members) for (const w of f[i]!.words) (postings.get(w) ?? postings.set(w, []).get(w)!).push(i);
    const df = (w: string) => postings.get(w)!.length;
    // Each item's words rarest first; items listed under their rarest word.
    const rare = new Map<number, string[]>();
    const byRarest = new Map<string, number[]>();
    for (const i of members) {
      const words = [...f[i]!.words].sort((x, y) => df(x) - df(y) || (x < y ? -1 : 1));
      rare.set(i, words);
      (byRarest.get(words[0]!) ?? byRarest.set(words[0]!, []).get(words[0]!)!).push(i);
    }
    for (const i of members) {
      if (!isNew(i)) continue;
      const words = rare.get(i)!;
      const consider = (j: number) => {
        if (j === i || stamp[j] === i || (isNew(j) && j < i)) return;
        stamp[j] = i;
        if (f[i]!.key === f[j]!.key || apart(i, j) || !lexicallyNear(items, f, i, j, rules)) return;
        check.push([i, j]);
      };
      // The longer text holds every word of the shorter: a longer j holds i's two rarest words;
      // a shorter j is listed under its own rarest word, which is one of i's.
      for (const j of intersect(postings.get(words[0]!)!, postings.get(words[1] ?? words[0]!)!)) if (f[j]!.words.length >= words.length) consider(j);
      for (const w of words)
        for (const j of byRarest.get(w) ?? []) if (f[j]!.words.length <= words.length && f[j]!.words.length >= minOverlap * words.length) consider(j);
    }
  }
  return { same, check };
}

/** Items in both ascending lists. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  if (a === b) return [...a];
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}
