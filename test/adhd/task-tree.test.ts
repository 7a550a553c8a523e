import { describe, expect, it } from 'vitest';
import { depthFirst, nextOpenStep, progress, rollUp, statusPatch } from '../../src/adhd/task-tree.js';
import type { Task } from '../../src/adhd/types.js';

const node = (id: string, parentId: string | null, position: number, status: Task['status'] = 'todo') =>
  ({ id, rootId: 'r', parentId, position, status, createdAt: 0 }) as Task;

// r ─ a ─ a1, a2
//   └ b
const tree = (s: Partial<Record<string, Task['status']>> = {}) => [
  node('r', null, 0, s.r),
  node('b', 'r', 1, s.b),
  node('a', 'r', 0, s.a),
  node('a2', 'a', 1, s.a2),
  node('a1', 'a', 0, s.a1),
];

describe('task tree', () => {
  it('reads depth-first with siblings by position', () => {
    expect(depthFirst(tree(), 'r').map((n) => n.id)).toEqual(['r', 'a', 'a1', 'a2', 'b']);
  });
  it('finds the next open leaf, preferring one in progress', () => {
    expect(nextOpenStep(tree(), 'r')?.id).toBe('a1');
    expect(nextOpenStep(tree({ a1: 'done' }), 'r')?.id).toBe('a2');
    expect(nextOpenStep(tree({ b: 'doing' }), 'r')?.id).toBe('b');
    expect(nextOpenStep(tree({ a1: 'done', a2: 'dropped', a: 'done', b: 'done' }), 'r')).toBeNull();
  });
  it('counts progress below the root', () => {
    expect(progress(tree({ a1: 'done', b: 'done' }), 'r')).toEqual({ done: 2, total: 4 });
  });
  it('completes parents whose children are all closed, up the chain', () => {
    const patches = rollUp(tree({ a1: 'done', b: 'done', a: 'doing', r: 'doing' }), 'a2', 'done', 5);
    expect(patches.map((p) => [p.id, p.patch.status])).toEqual([
      ['a', 'done'],
      ['r', 'done'],
    ]);
  });
  it('does not complete a parent whose children were all dropped', () => {
    expect(rollUp(tree({ a1: 'dropped' }), 'a2', 'dropped', 5)).toEqual([]);
  });
  it('starts todo parents when a step starts, and reopens closed ones when a step reopens', () => {
    expect(rollUp(tree(), 'a1', 'doing', 5).map((p) => [p.id, p.patch.status])).toEqual([
      ['a', 'doing'],
      ['r', 'doing'],
    ]);
    expect(rollUp(tree({ a: 'done', r: 'done', a1: 'done', a2: 'done', b: 'done' }), 'a1', 'todo', 5).map((p) => [p.id, p.patch.status])).toEqual([
      ['a', 'todo'],
      ['r', 'todo'],
    ]);
  });
  it('closes an open starter when a real step beside it starts or finishes', () => {
    const rows = [...tree(), { ...node('s', 'r', -1), isStarter: true } as Task];
    expect(rollUp(rows, 'b', 'doing', 5).map((p) => [p.id, p.patch.status])).toEqual([
      ['s', 'done'],
      ['r', 'doing'],
    ]);
    expect(rollUp(rows, 'a1', 'doing', 5).map((p) => p.id)).toEqual(['a', 'r']); // a different parent's starter stays
    expect(rollUp(rows, 'b', 'dropped', 5)).toEqual([]);
    expect(rollUp(rows, 's', 'doing', 5).map((p) => p.id)).toEqual(['r']);
  });
  it('stops at the first ancestor that does not change, and ignores unknown ids', () => {
    expect(rollUp(tree({ a: 'doing', r: 'doing' }), 'a1', 'doing', 5)).toEqual([]);
    expect(rollUp(tree(), 'zzz', 'done', 5)).toEqual([]);
  });
  it('sets the timestamps that go with each status', () => {
    expect(statusPatch('doing', 7)).toEqual({ status: 'doing', startedAt: 7, completedAt: null, updatedAt: 7 });
    expect(statusPatch('todo', 7)).toEqual({ status: 'todo', completedAt: null, updatedAt: 7 });
    expect(statusPatch('dropped', 7)).toEqual({ status: 'dropped', completedAt: 7, updatedAt: 7 });
  });
});
