import { z } from 'zod';

/** Deepest nesting accepted in free-form JSON (metadata, context, parameters, sandbox input): `{}` is 1 level. */
export const MAX_JSON_DEPTH = 32;

/** Where a JSON value breaks the rules of {@link jsonShapeProblem}, and how. */
export interface JsonShapeProblem {
  /** Keys and indexes from the value's root to the offending place. */
  path: Array<string | number>;
  message: string;
}

interface Node {
  value: object;
  depth: number;
  key: string | number | undefined;
  parent: Node | undefined;
}

/**
 * Checks a parsed JSON value without recursion (so hostile nesting cannot overflow the stack):
 * objects and arrays nested more than `maxDepth` levels, and the key `__proto__`, which a plain
 * object cannot hold as data (assigning it replaces the prototype, and zod drops it silently).
 * Returns the first problem found, or null.
 */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonShapeProblem | null {
  if (value === null || typeof value !== 'object') return null;
  const stack: Node[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  const visit = (node: Node, key: string | number, child: unknown) => {
    if (child !== null && typeof child === 'object') stack.push({ value: child, depth: node.depth + 1, key, parent: node });
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth > maxDepth) return problem(pathOf(node), `JSON nested more than ${maxDepth} levels deep`, 'is not accepted');
    if (Array.isArray(node.value)) {
      for (const [i, child] of node.value.entries()) visit(node, i, child);
      continue;
    }
    for (const [key, child] of Object.entries(node.value)) {
      if (key === '__proto__') return problem([...pathOf(node), key], 'the key "__proto__"', 'is reserved; rename it');
      visit(node, key, child);
    }
  }
  return null;
}

function pathOf(node: Node): Array<string | number> {
  const path: Array<string | number> = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.push(n.key);
  return path.reverse();
}

function problem(path: Array<string | number>, what: string, verdict: string): JsonShapeProblem {
  return { path, message: `${what}${path.length > 0 ? ` (path ${describePath(path)})` : ''} ${verdict}` };
}

/** A path inside a field, readable and short: `a.b[2]…` (at most 8 parts shown). */
function describePath(path: ReadonlyArray<string | number>): string {
  const part = (k: string | number, i: number) =>
    typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`;
  return path.slice(0, 8).map(part).join('') + (path.length > 8 ? '…' : '');
}

/**
 * Wraps a schema for free-form JSON so that a {@link jsonShapeProblem} is rejected before the
 * schema (or anything that serialises the value) walks it. The issue lands on the field itself and
 * says where inside it the problem is. The JSON Schema is the wrapped schema's.
 */
export function guardJson<T extends z.ZodType>(schema: T, maxDepth = MAX_JSON_DEPTH) {
  return z.preprocess((value, ctx) => {
    const found = jsonShapeProblem(value, maxDepth);
    if (found) ctx.issues.push({ code: 'custom', message: found.message, input: value });
    return value;
  }, schema);
}
