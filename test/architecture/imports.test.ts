import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../helpers/import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const graph = importGraph(ROOT, ['src', 'tools', 'sandbox', 'scripts', 'test']);
const files = [...graph.internal.keys()];
const product = (f: string) => /^(src|tools|sandbox|scripts)\//.test(f);
/** Domain modules whose `types.ts` holds their vocabulary. */
const DOMAINS = ['memory', 'episodes', 'patterns', 'adhd', 'analysis'];

/** `from → to` for every import from a file matching `from` to a file matching `to`. */
function imports(from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  return files.filter(from).flatMap((f) =>
    graph.internal
      .get(f)!
      .filter(to)
      .map((t) => `${f} → ${t}`),
  );
}

describe('import graph', () => {
  it('finds the files and their imports', () => {
    expect(files).toContain('src/app.ts');
    expect(graph.internal.get('src/cli.ts')).toContain('src/app.ts');
    expect(graph.external.get('src/storage/libsql.ts')).toContain('@libsql/client');
  });

  it('reports a cycle when there is one (the check can fail)', () => {
    const edges = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCycles(edges)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph.internal)).toEqual([]);
  });

  it('imports @libsql/client only under src/storage/', () => {
    const users = files.filter(product).filter((f) => graph.external.get(f)!.some((s) => s === '@libsql/client' || s.startsWith('@libsql/')));
    expect(users.filter((f) => !f.startsWith('src/storage/'))).toEqual([]);
  });

  it('keeps each domain vocabulary a leaf that storage may import, and storage away from services', () => {
    const vocabulary = DOMAINS.map((d) => `src/${d}/types.ts`);
    for (const v of vocabulary) expect(graph.internal.get(v), v).toEqual([]);
    const domainFile = (f: string) => DOMAINS.some((d) => f.startsWith(`src/${d}/`));
    expect(
      imports(
        (f) => f.startsWith('src/storage/'),
        (t) => domainFile(t) && !vocabulary.includes(t),
      ),
    ).toEqual([]);
  });

  it('lets tools reach services only: no storage, app or server', () => {
    expect(
      imports(
        (f) => f.startsWith('tools/'),
        (t) => /^src\/(storage|app\.ts|server)/.test(t),
      ),
    ).toEqual([]);
    expect(
      imports(
        (f) => f.startsWith('src/') && !f.startsWith('src/server/'),
        (t) => t.startsWith('tools/'),
      ),
    ).toEqual([]);
  });
});
