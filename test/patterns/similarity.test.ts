import { describe, expect, it } from 'vitest';
import { chooseMergeTarget } from '../../src/patterns/merge.js';
import { contextSimilarity, editDistance, editSimilarity, isContiguousSub, jaccard, patternSimilarity, sizeWindow } from '../../src/patterns/similarity.js';
import type { PatternRecord as Pattern } from '../../src/patterns/types.js';
import { wilsonLowerBound } from '../../src/patterns/wilson.js';

describe('similarity', () => {
  it('computes edit distance and its similarity', () => {
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([], ['a', 'b'])).toBe(2);
    expect(editSimilarity(['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'x', 'd', 'e'])).toBeCloseTo(0.8, 12);
    expect(editSimilarity([], [])).toBe(1);
  });

  it('weights context as domain 0.4 + language 0.3 + tag Jaccard 0.3', () => {
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3, 12);
    expect(contextSimilarity({ domain: 'web', language: 'ts', tags: ['a', 'b'] }, { domain: 'web', language: 'py', tags: ['b', 'a'] })).toBeCloseTo(0.7, 12);
    expect(contextSimilarity({ domain: 'web', language: null, tags: [] }, { domain: 'cli', language: null, tags: [] })).toBeCloseTo(0.6, 12);
  });

  it('weights sequences as 0.7 × edit similarity + 0.3 × context', () => {
    const base = { domain: 'web', language: 'ts', tags: ['x'] };
    expect(patternSimilarity({ ...base, tokens: ['a', 'b', 'c', 'd', 'e'] }, { ...base, tokens: ['a', 'b', 'x', 'd', 'e'] })).toBeCloseTo(0.86, 12);
    expect(patternSimilarity({ ...base, tokens: ['a', 'b', 'c', 'd'] }, { ...base, tokens: ['a', 'b', 'x', 'd'] })).toBeCloseTo(0.825, 12);
  });

  it('bounds the sizes a near-duplicate can have', () => {
    expect(sizeWindow(5)).toEqual({ min: 4, max: 6 });
    expect(sizeWindow(2)).toEqual({ min: 2, max: 2 });
    expect(isContiguousSub(['b', 'c'], ['a', 'b', 'c'])).toBe(true);
    expect(isContiguousSub(['a', 'c'], ['a', 'b', 'c'])).toBe(false);
  });
});

describe('Wilson lower bound', () => {
  it('matches published values', () => {
    // 50/100 → (0.4038, 0.5962); 1/1 → 1/(1+z²); 0 trials → 0.
    expect(wilsonLowerBound(50, 100)).toBeCloseTo(0.4038, 4);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(1 / (1 + 1.959963984540054 ** 2), 12);
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(9, 10)).toBeGreaterThan(wilsonLowerBound(1, 1));
  });
});

describe('merge target', () => {
  const p = (id: string, tokens: string[], extra: Partial<Pattern> = {}): Pattern => ({
    id,
    namespace: 'default',
    kind: 'tool_sequence',
    key: id,
    matchKey: tokens.join(),
    description: id,
    tokens,
    data: {},
    taskType: 'debugging',
    domain: 'web',
    language: 'ts',
    tags: ['x'],
    occurrences: 1,
    successes: 1,
    latencyTotal: 0,
    latencyCount: 0,
    wilson: 0.2,
    episodeIds: [`ep-${id}`],
    firstSeen: 1,
    lastSeen: 1,
    mergedInto: null,
    ...extra,
  });

  it('merges a one-token substitution in an identical context', () => {
    const choice = chooseMergeTarget(p('new', ['a', 'b', 'x', 'd', 'e']), [p('old', ['a', 'b', 'c', 'd', 'e'], { occurrences: 4 })]);
    expect(choice?.target.id).toBe('old');
    expect(choice?.similarity).toBeCloseTo(0.86, 12);
  });

  it('keeps windows of one episode, sub-sequences, other task types and context patterns apart', () => {
    const fresh = p('new', ['a', 'b', 'x', 'd', 'e']);
    expect(chooseMergeTarget(fresh, [p('old', ['a', 'b', 'c', 'd', 'e'], { episodeIds: ['ep-new'] })])).toBeNull();
    expect(chooseMergeTarget(p('n', ['a', 'b', 'c', 'd', 'e']), [p('o', ['a', 'b', 'c', 'd'])])).toBeNull();
    expect(chooseMergeTarget(fresh, [p('old', ['a', 'b', 'c', 'd', 'e'], { taskType: 'testing' })])).toBeNull();
    expect(chooseMergeTarget(p('c1', ['a'], { kind: 'context_pattern' }), [p('c2', ['a'], { kind: 'context_pattern', language: 'py' })])).toBeNull();
  });

  it('merges identical content across languages when tags overlap, picking the most similar', () => {
    const fresh = p('new', ['a', 'b'], { language: 'js' });
    const choice = chooseMergeTarget(fresh, [p('far', ['a', 'b'], { domain: 'cli', language: 'py', tags: [] }), p('near', ['a', 'b'])]);
    expect(choice?.target.id).toBe('near');
    expect(choice?.similarity).toBeCloseTo(0.7 + 0.3 * (0.4 + 0.3), 12);
  });
});
