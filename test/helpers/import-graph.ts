import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Import specifiers of a TypeScript source: `import … from`, `export … from`, side-effect imports
 * and `import('…')`. Type-only imports count: a loop of types still ties modules together.
 * Our sources put every import at the start of a line, so a pattern is enough.
 */
const SPECIFIER = /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The import graph of the `.ts` files under `dirs` (relative to `root`), keyed by relative path. */
export interface ImportGraph {
  /** Relative path → relative paths of the project files it imports. */
  internal: Map<string, string[]>;
  /** Relative path → package specifiers it imports (`zod`, `node:fs`, `@libsql/client`). */
  external: Map<string, string[]>;
}

/** Reads every `.ts` file under `dirs` and resolves its relative imports (`./x.js` → `x.ts`). */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const internal = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  for (const file of files) {
    const from = relative(root, file);
    internal.set(from, []);
    external.set(from, []);
    // Template literals are text (e.g. the source of a child process), not this file's imports.
    const code = readFileSync(file, 'utf8').replace(/`(?:\\[\s\S]|[^\\`])*`/g, '``');
    for (const m of code.matchAll(SPECIFIER)) {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      if (spec.startsWith('.')) internal.get(from)!.push(relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
      else external.get(from)!.push(spec);
    }
  }
  return { internal, external };
}

/** Strongly connected components with more than one file (or a file importing itself): each is an import cycle. */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
