/**
 * Places in a reply (a plain JSON value): the slots a dotted path names, every string or list, and
 * every container still in it. Used by the reply budget's cuts (tools/layer/shrink.ts).
 */

/** A JSON object or array inside the reply. */
export type Container = Record<string, unknown> | unknown[];

/** A place in the reply a path matched: the container, the key, and a readable concrete path. */
export interface Slot {
  parent: Container;
  key: string | number;
  at: string;
}

const get = (s: Slot): unknown => (s.parent as Record<string | number, unknown>)[s.key];

/**
 * Every slot a dotted path names; `*` stands for each element of an array or each value of an
 * object. Missing keys match nothing, so a path may name an optional part.
 */
export function slots(root: Record<string, unknown>, path: string): Slot[] {
  let current: Slot[] = [{ parent: { root }, key: 'root', at: '' }];
  for (const part of path.split('.')) {
    const next: Slot[] = [];
    for (const s of current) {
      const v = get(s);
      const at = (k: string | number) => (s.at ? `${s.at}.${k}` : String(k));
      if (v === null || typeof v !== 'object') continue;
      if (part === '*') for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) next.push({ parent: v as Container, key: k, at: at(k) });
      else if (!Array.isArray(v) && Object.hasOwn(v, part)) next.push({ parent: v as Record<string, unknown>, key: part, at: at(part) });
    }
    current = next;
  }
  return current;
}

/** Every string (or every array) in a value, found without recursion. */
export function allSlots(root: Record<string, unknown>, want: 'string' | 'array'): Slot[] {
  const found: Slot[] = [];
  const stack: Slot[] = Object.keys(root).map((k) => ({ parent: root, key: k, at: k }));
  while (stack.length) {
    const s = stack.pop()!;
    const v = get(s);
    if (want === 'string' ? typeof v === 'string' : Array.isArray(v)) found.push(s);
    if (v !== null && typeof v === 'object') {
      for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) stack.push({ parent: v as Container, key: k, at: `${s.at}.${k}` });
    }
  }
  return found;
}

/** Every object and array still in the reply. */
export function containers(root: Container): Set<Container> {
  const seen = new Set<Container>([root]);
  const stack: Container[] = [root];
  while (stack.length) {
    const c = stack.pop()!;
    for (const v of Array.isArray(c) ? c : Object.values(c)) {
      if (v !== null && typeof v === 'object' && !seen.has(v as Container)) {
        seen.add(v as Container);
        stack.push(v as Container);
      }
    }
  }
  return seen;
}
