import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Static imports only: what loading a module loads at once (`import()` waits until it is needed). */
const STATIC = /^\s*(?:import|export)\s(?!type\s)[^;]*?\sfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every module a file loads statically, transitively: project files and packages. */
function closure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(join(ROOT, file), 'utf8');
    for (const m of code.matchAll(STATIC)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(relative(ROOT, resolve(dirname(join(ROOT, file)), spec.replace(/\.js$/, '.ts'))));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the cairn hook client', () => {
  it('loads only node built-ins and a few small modules: no config schema, no database, no app', () => {
    for (const entry of ['src/cli.ts', 'src/commands/hook.ts', 'src/hooks/client.ts']) {
      const { files, packages } = closure(entry);
      expect(
        [...packages].filter((p) => !p.startsWith('node:')),
        entry,
      ).toEqual([]);
      expect(
        [...files].filter((f) => /app\.ts|config\/index\.ts|storage\/|search\/|hooks\/(daemon|handler|in-process)\.ts/.test(f)),
        entry,
      ).toEqual([]);
    }
  });
});
