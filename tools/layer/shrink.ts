/**
 * The cuts a reply budget makes, on a plain JSON value (a parsed copy of a tool's output): drop
 * list items, shorten texts, leave out fields. Each cut picks the gentlest size that fits by binary
 * search over exact JSON sizes, so the reply keeps as much as the budget allows, and records what it
 * left out in a {@link CutLog}.
 */

import { type Container, containers, type Slot } from './reply-paths.js';

/** Says whether a reply of this JSON size (characters, UTF-8 bytes) fits. */
export type Fits = (chars: number, bytes: number) => boolean;

/** One cut: where (the container it happened in), under which `omitted` key, and how much. */
interface Cut {
  container: Container;
  key: string | number;
  label: string;
  count: number;
  /** For a shortened text: the whole original, so a second cut starts from it. */
  original?: string;
}

/**
 * What the cuts left out. A cut inside an item that a later cut removes is no longer counted:
 * the item is (see {@link CutLog.counts}).
 */
export interface CutLog {
  cuts: Cut[];
}

const json = (v: unknown): string => JSON.stringify(v) ?? 'null';
const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');
const get = (s: { parent: Container; key: string | number }): unknown => (s.parent as Record<string | number, unknown>)[s.key];
const set = (s: Slot, v: unknown): void => {
  (s.parent as Record<string | number, unknown>)[s.key] = v;
};

/** What is left out, by label, counting only cuts whose place is still in the reply. */
export function counts(log: CutLog, root: Record<string, unknown>): Map<string, number> {
  const live = containers(root);
  const out = new Map<string, number>();
  for (const c of log.cuts) {
    // A shortened text counts while its field is there; a cut list or a dropped field while its container is.
    const present = live.has(c.container) && (c.original === undefined || get({ parent: c.container, key: c.key }) !== undefined);
    if (present && c.count > 0) out.set(c.label, (out.get(c.label) ?? 0) + c.count);
  }
  return out;
}

/** Largest integer in [lo, hi] for which `ok` holds (assumed monotone), or `lo - 1` when none does. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number {
  let best = lo - 1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * Keeps at most `k` items of each listed array (the first or the last ones), with the largest `k`
 * ≥ `min` that fits, or `min` when none does. `size` is the reply's current JSON size.
 * @returns Items dropped in all.
 */
export function cutLists(
  lists: Slot[],
  keep: 'first' | 'last',
  min: number,
  size: { chars: number; bytes: number },
  fits: Fits,
  log: CutLog,
  label: string,
): number {
  const arrays = lists.map(get).filter((v): v is unknown[] => Array.isArray(v));
  if (!arrays.length) return 0;
  const items = arrays.map((a) => {
    const texts = (keep === 'first' ? a : [...a].reverse()).map(json);
    return { chars: texts.map((t) => t.length), bytes: texts.map(utf8) };
  });
  // JSON of an array: brackets, items and the commas between them; dropping items removes their text and commas.
  const without = (k: number) => {
    let chars = size.chars;
    let bytes = size.bytes;
    for (const it of items) {
      const n = it.chars.length;
      if (n <= k) continue;
      const commas = k === 0 ? n - 1 : n - k;
      for (let i = k; i < n; i++) {
        chars -= it.chars[i]!;
        bytes -= it.bytes[i]!;
      }
      chars -= commas;
      bytes -= commas;
    }
    return { chars, bytes };
  };
  const longest = Math.max(...arrays.map((a) => a.length));
  const k = Math.max(
    min,
    largest(min, longest, (n) => {
      const s = without(n);
      return fits(s.chars, s.bytes);
    }),
  );
  let dropped = 0;
  for (const a of arrays) {
    if (a.length <= k) continue;
    const n = a.length - k;
    dropped += n;
    log.cuts.push({ container: a, key: 0, label, count: n });
    if (keep === 'first') a.splice(k);
    else a.splice(0, n);
  }
  return dropped;
}

/**
 * Deletes the listed fields from their objects.
 * @returns Fields deleted.
 */
export function dropFields(fields: Slot[], log: CutLog, label: string): number {
  let n = 0;
  for (const s of fields) {
    if (Array.isArray(s.parent)) continue;
    delete s.parent[s.key as string];
    log.cuts.push({ container: s.parent, key: 0, label, count: 1 });
    n++;
  }
  return n;
}

/** A text cut to `keep` characters, saying how many were left out (the head, or head and tail). */
export function cutText(text: string, keep: number, where: 'head' | 'ends'): string {
  if (text.length <= keep) return text;
  const left = text.length - keep;
  if (where === 'head') return `${safeSlice(text, 0, keep)}…[${left} more characters]`;
  const head = Math.ceil((keep * 3) / 4);
  return `${safeSlice(text, 0, head)}\n…[${left} characters left out]…\n${safeSlice(text, text.length - (keep - head), text.length)}`;
}

/**
 * A text cut to at most `maxBytes` of UTF-8 (marker included), keeping as many characters as fit.
 * @returns The text and the characters left out (0 when it already fits).
 */
export function cutToBytes(text: string, maxBytes: number, where: 'head' | 'ends'): { text: string; left: number } {
  if (utf8(text) <= maxBytes) return { text, left: 0 };
  const keep = Math.max(
    0,
    largest(0, Math.min(text.length, maxBytes), (n) => utf8(cutText(text, n, where)) <= maxBytes),
  );
  return { text: cutText(text, keep, where), left: text.length - keep };
}

/** Slices without splitting a surrogate pair at either end. */
function safeSlice(s: string, from: number, to: number): string {
  let a = from;
  let b = to;
  if (a > 0 && a < s.length && isLow(s.charCodeAt(a))) a++;
  if (b < s.length && b > 0 && isLow(s.charCodeAt(b))) b--;
  return s.slice(a, b);
}
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Shortens each listed text longer than the largest length ≥ `min` that fits (or `min`). A value
 * that is not a string is measured and cut as its JSON text. A text cut before is cut again from
 * its original, so its marker and the count stay exact.
 * @returns Texts shortened.
 */
export function cutTexts(
  targets: Slot[],
  where: 'head' | 'ends',
  min: number,
  size: { chars: number; bytes: number },
  fits: Fits,
  log: CutLog,
  label: string,
): number {
  const earlier = new Map<Container, Map<string | number, Cut>>();
  for (const c of log.cuts) if (c.original !== undefined) earlier.set(c.container, (earlier.get(c.container) ?? new Map()).set(c.key, c));
  const texts = targets.map((s) => {
    const v = get(s);
    const before = earlier.get(s.parent)?.get(s.key);
    const text = before?.original ?? (typeof v === 'string' ? v : json(v));
    const literal = json(v);
    return { slot: s, text, before, chars: literal.length, bytes: utf8(literal) };
  });
  const longest = Math.max(0, ...texts.map((t) => t.text.length));
  if (longest <= min) return 0;
  const sizeAt = (keep: number) => {
    let chars = size.chars;
    let bytes = size.bytes;
    for (const t of texts) {
      if (t.text.length <= keep) continue;
      const literal = json(cutText(t.text, keep, where));
      chars += literal.length - t.chars;
      bytes += utf8(literal) - t.bytes;
    }
    return { chars, bytes };
  };
  const keep = Math.max(
    min,
    largest(min, longest, (n) => {
      const s = sizeAt(n);
      return fits(s.chars, s.bytes);
    }),
  );
  let shortened = 0;
  for (const t of texts) {
    if (t.text.length <= keep) continue;
    shortened++;
    set(t.slot, cutText(t.text, keep, where));
    if (t.before) {
      t.before.count = t.text.length - keep;
      t.before.label = label;
    } else log.cuts.push({ container: t.slot.parent, key: t.slot.key, label, count: t.text.length - keep, original: t.text });
  }
  return shortened;
}
