import { describe, expect, it } from 'vitest';
import { createAccessLog } from '../../src/memory/access-log.js';
import { clusters } from '../../src/memory/clusters.js';
import { decayFactor } from '../../src/memory/decay.js';
import { candidatePairs, type DuplicateItem, features, lexicallyNear } from '../../src/memory/duplicates.js';
import { anchorWords, contentWords, markerWords, textKey } from '../../src/memory/text.js';
import type { MemoryKind } from '../../src/memory/types.js';

const DAY = 86_400_000;
const item = (id: string, content: string, extra: Partial<DuplicateItem> = {}): DuplicateItem => ({
  id,
  kind: 'fact' as MemoryKind,
  content,
  occurredAt: null,
  createdAt: Number(id.replace(/\D/g, '') || 0),
  importance: 0.5,
  tags: [],
  accessCount: 0,
  ...extra,
});
const rules = { similarity: 0.75 };
const never = () => false;

describe('text keys, anchors and markers', () => {
  it('fold white space, case, diacritics and punctuation into one text key', () => {
    expect(textKey('  Alice prefers   OAT-milk in her café! ')).toBe(textKey('alice prefers oat milk in her cafe'));
    expect(textKey('Port 5433')).not.toBe(textKey('Port 5432'));
  });

  it('take numbers and names after the first word as anchors, negations and changes over time as markers', () => {
    expect(anchorWords('Dana met Priya on 3 May 2026')).toEqual(['2026', '3', 'may', 'priya']);
    expect(anchorWords('Yesterday I went out')).toEqual([]);
    expect(markerWords("Alice doesn't like coffee")).toEqual(markerWords('Alice does not like coffee'));
    expect(markerWords('Dana no longer prefers tea')).toEqual(['longer', 'no']);
    expect(markerWords('Dana used to prefer tea')).toEqual(['used to']);
    expect(contentWords('The deploys run every Tuesday')).toEqual(['deploy', 'run', 'every', 'tuesday']);
  });
});

describe('near-duplicate rules', () => {
  const near = (a: string, b: string, ea: Partial<DuplicateItem> = {}, eb: Partial<DuplicateItem> = {}) => {
    const items = [item('m1', a, ea), item('m2', b, eb)];
    return lexicallyNear(items, features(items), 0, 1, rules);
  };

  it('accept restatements: reordered, a word added, another word form', () => {
    expect(near('The staging database runs on port 5433', 'On port 5433, the staging database runs')).toBe(true);
    expect(near('The staging database runs on port 5433', 'The staging database runs on port 5433 by default')).toBe(true);
    expect(near('The deploy runs every Tuesday after standup', 'The deploys run every Tuesday after the standup')).toBe(true);
  });

  it('refuse a swapped word, another number or name, a negation, a change over time, another kind or day', () => {
    expect(near('Project Kestrel kickoff notes: scope and owners', 'Project Kestrel kickoff notes: budget and owners')).toBe(false);
    expect(near('The staging database runs on port 5433', 'The staging database runs on port 5432')).toBe(false);
    expect(near("Alice's manager at the bank is called Priya", "Alice's manager at the bank is called Dana")).toBe(false);
    expect(near('Alice likes strong coffee in the morning', 'Alice does not like strong coffee in the morning')).toBe(false);
    expect(near('Dana prefers green tea at breakfast', 'Dana now prefers green tea at breakfast')).toBe(false);
    expect(near('Went running in the park', 'Went running in the park today', { kind: 'event' }, { kind: 'note' })).toBe(false);
    expect(near('Went running in the park', 'Went running in the park again', { occurredAt: 0 }, { occurredAt: 3 * DAY })).toBe(false);
    expect(near('Alice likes coffee', 'Alice likes coffee with oat milk, sugar and cinnamon every morning')).toBe(false);
  });

  it('find every candidate pair by prefix filtering and only pairs with something new', () => {
    const items = [
      item('m1', 'The staging database runs on port 5433'),
      item('m2', 'On port 5433, the staging database runs'),
      item('m3', 'the STAGING database runs on port 5433!'),
      item('m4', 'Lunch is served at noon on Fridays'),
      ...Array.from({ length: 200 }, (_, i) => item(`x${i + 10}`, `Unrelated filler fact number ${i} about gardening`)),
    ];
    const f = features(items);
    const all = candidatePairs(items, f, () => true, never, rules);
    expect(all.same.map((e) => [e.a, e.b].sort())).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(all.check.map((p) => [...p].sort())).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const onlyM4 = candidatePairs(items, f, (i) => i === 3, never, rules);
    expect(onlyM4).toEqual({ same: [], check: [] });
    const apart = candidatePairs(
      items,
      f,
      () => true,
      (a, b) => a + b === 2,
      rules,
    );
    expect(apart.same).toEqual([]);
  });

  it('cluster around the most used, then the oldest memory, never joining incompatible canonicals or apart pairs', () => {
    const items = [item('m1', 'a b c d'), item('m2', 'a b c d!'), item('m3', 'a b c d e', { accessCount: 2 }), item('m4', 'q r s t')];
    const f = features(items);
    const edges = [
      { a: 0, b: 1, rule: 'same-text' as const, score: 1 },
      { a: 1, b: 2, rule: 'vector' as const, score: 0.9 },
    ];
    const c = clusters(
      items,
      f,
      edges,
      never,
      () => true,
      () => 0.9,
    );
    expect(c).toEqual([
      {
        target: 2,
        members: [
          { source: 0, rule: 'vector', score: 0.9 },
          { source: 1, rule: 'vector', score: 0.9 },
        ],
        tags: [],
        importance: 0.5,
      },
    ]);
    expect(
      clusters(
        items,
        f,
        edges,
        never,
        () => false,
        () => 0.9,
      ).map((x) => [x.target, x.members.map((m) => m.source)]),
    ).toEqual([[0, [1]]]);
    expect(
      clusters(
        items,
        f,
        edges,
        (a, b) => a + b === 2,
        () => true,
        () => 0.9,
      ).map((x) => [x.target, x.members.map((m) => m.source)]),
    ).toEqual([[0, [1]]]);
  });
});

describe('decay', () => {
  const at = Date.UTC(2026, 0, 1);
  it('starts at 1, falls with disuse towards its floor in steps, and slower for used memories', () => {
    expect(decayFactor({ createdAt: at, lastAccessedAt: null, accessCount: 0 }, at)).toBe(1);
    expect(decayFactor({ createdAt: at, lastAccessedAt: null, accessCount: 0 }, at + 30 * DAY)).toBe(0.9);
    expect(decayFactor({ createdAt: at, lastAccessedAt: null, accessCount: 0 }, at + 3650 * DAY)).toBe(0.75);
    expect(decayFactor({ createdAt: at, lastAccessedAt: at + 29 * DAY, accessCount: 1 }, at + 30 * DAY)).toBe(1);
    expect(decayFactor({ createdAt: at, lastAccessedAt: null, accessCount: 20 }, at + 60 * DAY)).toBeGreaterThan(
      decayFactor({ createdAt: at, lastAccessedAt: null, accessCount: 0 }, at + 60 * DAY),
    );
  });
});

describe('access log', () => {
  it('keeps counts in memory and writes them in one batch per namespace; a failed write keeps them', async () => {
    const writes: Array<[string, unknown]> = [];
    let fail = true;
    const log = createAccessLog({
      intervalMs: 0,
      async write(ns, uses) {
        if (fail) throw new Error('busy');
        writes.push([ns, uses]);
      },
    });
    log.record('a', ['m1', 'm2'], 10);
    log.record('a', ['m1'], 20);
    log.record('b', ['m9'], 15);
    await log.flush();
    expect(writes).toEqual([]);
    fail = false;
    await log.close();
    expect(writes).toEqual([
      [
        'a',
        [
          { id: 'm1', count: 2, at: 20 },
          { id: 'm2', count: 1, at: 10 },
        ],
      ],
      ['b', [{ id: 'm9', count: 1, at: 15 }]],
    ]);
  });
});
