/**
 * Ways to damage a real Cairn cache file (`<home>/cache/cache.mdb`), shared by the corruption
 * tests (test/cache/) and `scripts/bench-cache.ts`. Every way is deterministic: offsets and bits
 * come from a seeded generator or from the file's own structure (meta pages, root pages, the pages
 * holding a given record).
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { mulberry32 } from '../../src/prng.js';

/** One way to damage the file, and what a server should find. */
export interface Damage {
  name: string;
  /** `moved`: the file must be moved aside; `records`: records fail their checksum; `any`: either, or nothing live was hit. */
  expect: 'moved' | 'records' | 'any';
  apply(file: string): void;
}

const PAGE = 4096;

function garbage(file: string, offset: number, length: number, seed: number): void {
  const b = readFileSync(file);
  const r = mulberry32(seed);
  for (let i = 0; i < length && offset + i < b.length; i++) b[offset + i] = Math.floor(r() * 256);
  writeFileSync(file, b);
}

function flip(file: string, offset: number, bit: number): void {
  const b = readFileSync(file);
  b[offset]! ^= 1 << bit;
  writeFileSync(file, b);
}

/**
 * Where every leaf copy of a cache record lies: its stored key, and its value (right after the
 * key, or on overflow pages for a large value). Copy-on-write leaves stale copies in free pages,
 * so damage meant for the live record is applied to every copy.
 */
export function recordCopies(file: string, key: string): Array<{ key: number; value: number }> {
  const b = readFileSync(file);
  const needle = Buffer.from(`c1:${key}`);
  const magic = (at: number) => b[at] === 0xca && b[at + 1] === 0x1e;
  const out: Array<{ key: number; value: number }> = [];
  for (let at = b.indexOf(needle); at >= 0; at = b.indexOf(needle, at + 1)) {
    const inline = at + needle.length;
    if (magic(inline)) out.push({ key: at, value: inline });
    else if (inline + 8 <= b.length) {
      const overflow = Number(b.readBigUInt64LE(inline)) * PAGE + 24;
      if (overflow < b.length && magic(overflow)) out.push({ key: at, value: overflow });
    }
  }
  if (out.length === 0) throw new Error(`record ${key} not found in ${file}`);
  return out;
}

/** Distinct value offsets of a record's copies (stale leaf copies can share one overflow value: flip it once). */
function values(file: string, key: string): number[] {
  return [...new Set(recordCopies(file, key).map((c) => c.value))];
}

/** Page number of a tree root named by the newest meta page (`main` or `free`). */
function rootPage(file: string, tree: 'main' | 'free'): number {
  const b = readFileSync(file);
  const newest = b.readBigUInt64LE(152) >= b.readBigUInt64LE(PAGE + 152) ? 0 : PAGE;
  return Number(b.readBigUInt64LE(newest + (tree === 'main' ? 136 : 88)));
}

/**
 * The damage matrix: truncations; random bytes over each meta page, the flushed meta copy, the
 * main and free-list roots, the pages of a cached episode and seeded offsets; single flipped bits
 * in cached episodes' records (a step's text, the key, a seeded position).
 */
export function damageMatrix(episodeKeys: string[], seed = 7): Damage[] {
  const [first, second, third, fourth] = episodeKeys;
  if (!first || !second || !third || !fourth) throw new Error('damageMatrix needs four cached episode keys');
  const r = mulberry32(seed);
  const offsets = [r(), r(), r()];
  const pick = r();
  const bit = Math.floor(r() * 8);
  return [
    { name: 'truncated to 4096 bytes', expect: 'moved', apply: (f) => truncateSync(f, 4096) },
    { name: 'truncated to half', expect: 'moved', apply: (f) => truncateSync(f, Math.floor(readFileSync(f).length / 2)) },
    { name: 'random bytes over meta page 0', expect: 'moved', apply: (f) => garbage(f, 0, 512, 1) },
    { name: 'random bytes over meta page 1', expect: 'moved', apply: (f) => garbage(f, PAGE, 512, 2) },
    { name: 'random bytes over the flushed meta copy', expect: 'moved', apply: (f) => garbage(f, PAGE / 2, 256, 3) },
    { name: 'random bytes over the main root page', expect: 'moved', apply: (f) => garbage(f, rootPage(f, 'main') * PAGE, 512, 4) },
    { name: 'random bytes over the free-list root page', expect: 'any', apply: (f) => garbage(f, rootPage(f, 'free') * PAGE, 512, 5) },
    {
      name: "random bytes over a cached episode's page header",
      expect: 'moved',
      apply: (f) => {
        for (const [i, at] of recordCopies(f, first).entries()) garbage(f, Math.floor(at.key / PAGE) * PAGE, 64, 6 + i);
      },
    },
    ...offsets.map(
      (at, i): Damage => ({
        name: `random bytes at seeded offset ${i + 1}`,
        expect: 'any',
        apply: (f) => garbage(f, 2 * PAGE + Math.floor(at * (readFileSync(f).length - 2 * PAGE)), 512, 10 + i),
      }),
    ),
    {
      name: "one bit flipped in a cached episode's step",
      expect: 'records',
      apply: (f) => {
        const b = readFileSync(f);
        for (const at of values(f, second)) flip(f, b.indexOf('"action":"', at) + 10 + Math.floor(pick * 4), 1);
      },
    },
    {
      name: "one bit flipped in a cached episode's key",
      expect: 'records',
      apply: (f) => {
        for (const at of recordCopies(f, third)) flip(f, at.key + `c1:${third}`.length - 3, 0);
      },
    },
    {
      name: "one seeded bit flipped in a cached episode's record",
      expect: 'records',
      apply: (f) => {
        for (const at of values(f, fourth)) flip(f, at + Math.floor(pick * 400), bit);
      },
    },
  ];
}
