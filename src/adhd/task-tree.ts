import type { Task, TaskPatch, TaskStatus } from './types.js';

const isOpen = (s: TaskStatus) => s === 'todo' || s === 'doing';

/** The nodes of one tree in reading order: depth-first, siblings by position. */
export function depthFirst(rows: readonly Task[], rootId: string): Task[] {
  const kids = new Map<string, Task[]>();
  for (const r of rows) if (r.parentId) (kids.get(r.parentId) ?? kids.set(r.parentId, []).get(r.parentId)!).push(r);
  for (const list of kids.values()) list.sort((a, b) => a.position - b.position || a.createdAt - b.createdAt);
  const out: Task[] = [];
  const visit = (id: string) => {
    const node = rows.find((r) => r.id === id);
    if (node) out.push(node);
    for (const k of kids.get(id) ?? []) visit(k.id);
  };
  visit(rootId);
  return out;
}

/**
 * The step to do next under `rootId`: the first open node without open children, in reading
 * order, preferring one already in `doing`. Null when every step is closed (or there are none).
 */
export function nextOpenStep(rows: readonly Task[], rootId: string): Task | null {
  const ordered = depthFirst(rows, rootId).filter((r) => r.id !== rootId);
  const leaves = ordered.filter((r) => isOpen(r.status) && !rows.some((c) => c.parentId === r.id && isOpen(c.status)));
  return leaves.find((r) => r.status === 'doing') ?? leaves[0] ?? null;
}

/** Steps under `rootId` (excluding the root) and how many are done. */
export function progress(rows: readonly Task[], rootId: string): { done: number; total: number } {
  const steps = rows.filter((r) => r.id !== rootId && r.rootId === rootId);
  return { done: steps.filter((r) => r.status === 'done').length, total: steps.length };
}

/**
 * What a status change implies for the rest of the tree. Starting or finishing a real step closes
 * an open starter beside it (starting is what the starter was for). Then, upward until nothing
 * changes: a parent whose children are all closed (with at least one done) is done; a todo parent
 * of a step now in progress is in progress; a closed parent of a reopened step is open again.
 */
export function rollUp(rows: readonly Task[], changedId: string, status: TaskStatus, at: number): Array<{ id: string; patch: TaskPatch }> {
  const state = new Map(rows.map((r) => [r.id, { ...r }]));
  const changed = state.get(changedId);
  if (!changed) return [];
  changed.status = status;
  const patches: Array<{ id: string; patch: TaskPatch }> = [];
  if (!changed.isStarter && (status === 'doing' || status === 'done')) {
    for (const s of state.values()) {
      if (s.isStarter && s.parentId === changed.parentId && isOpen(s.status)) {
        s.status = 'done';
        patches.push({ id: s.id, patch: statusPatch('done', at) });
      }
    }
  }
  let child = changed;
  while (child.parentId) {
    const parent = state.get(child.parentId);
    if (!parent) break;
    const kids = [...state.values()].filter((r) => r.parentId === parent.id);
    let next: TaskStatus | null = null;
    if (isOpen(parent.status) && kids.every((k) => !isOpen(k.status)) && kids.some((k) => k.status === 'done')) next = 'done';
    else if (parent.status === 'todo' && child.status === 'doing') next = 'doing';
    else if (!isOpen(parent.status) && isOpen(child.status)) next = child.status === 'doing' ? 'doing' : 'todo';
    if (next === null || next === parent.status) break;
    parent.status = next;
    patches.push({ id: parent.id, patch: statusPatch(next, at) });
    child = parent;
  }
  return patches;
}

/** The timestamp fields that go with a status. */
export function statusPatch(status: TaskStatus, at: number): TaskPatch {
  if (status === 'doing') return { status, startedAt: at, completedAt: null, updatedAt: at };
  if (status === 'todo') return { status, completedAt: null, updatedAt: at };
  return { status, completedAt: at, updatedAt: at };
}

/** The rows as they will be once `patches` are applied in order (the same rules as the SQL update). */
export function applyPatches(rows: readonly Task[], patches: ReadonlyArray<{ id: string; patch: TaskPatch }>): Task[] {
  const byId = new Map(rows.map((r) => [r.id, { ...r }]));
  for (const { id, patch: p } of patches) {
    const r = byId.get(id);
    if (!r) continue;
    r.updatedAt = p.updatedAt;
    if (p.status !== undefined) r.status = p.status;
    if (p.actualMinutes !== undefined) r.actualMinutes = p.actualMinutes;
    if (p.startedAt !== undefined) r.startedAt ??= p.startedAt;
    if (p.completedAt !== undefined) r.completedAt = p.completedAt;
    if (p.note !== undefined) r.notes = [...r.notes, p.note];
  }
  return rows.map((r) => byId.get(r.id)!);
}
