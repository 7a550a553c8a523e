/** At most this many steps come out of one text. */
export const MAX_SPLIT_STEPS = 12;

const LIST_MARKER = /^\s*(?:[-*•+]|\[[ xX]?\]|\d{1,2}[.)]|[a-zA-Z][.)](?=\s))\s*/;
const INLINE_NUMBERED = /(?:^|\s)\(?(\d{1,2})[.)]\s+/g;
const STRONG_JOINERS = /\s*(?:,|;)?\s+(?:and then|then|after that|afterwards|next|finally)\s+|\s*;\s*/i;

/**
 * Splits a task description into candidate steps without a model, trying in order:
 * 1. a list (lines starting with `-`, `*`, `•`, `1.`, `2)`, `[ ]`); a first line without a marker is
 *    treated as the heading;
 * 2. an inline numbered list (`1) draft 2) review`);
 * 3. sentences (`.`, `!`, `?`) and strong joiners (`;`, `then`, `after that`, `finally`);
 * 4. within each piece, a comma list of three or more items, or ` and ` between two parts of at
 *    least two words each ("write the intro and fix the tests", but not "salt and pepper").
 * Returns the whole text as one step when nothing splits it.
 */
export function splitTaskText(text: string): string[] {
  const clean = text.replace(/\r\n?/g, '\n').trim();
  if (!clean) return [];
  const fromList = splitList(clean);
  const pieces = fromList ?? splitInlineNumbered(clean) ?? splitProse(clean);
  const steps = pieces.map(tidy).filter((p) => p.length > 0);
  return (steps.length ? steps : [tidy(clean)]).slice(0, MAX_SPLIT_STEPS);
}

function splitList(text: string): string[] | null {
  const lines = text.split('\n').filter((l) => l.trim());
  const marked = lines.filter((l) => LIST_MARKER.test(l));
  if (marked.length < 2) return null;
  return marked.map((l) => l.replace(LIST_MARKER, ''));
}

function splitInlineNumbered(text: string): string[] | null {
  const markers = [...text.matchAll(INLINE_NUMBERED)];
  // "1) … 2) …" only: a stray "at 3. Then" is a sentence, not a list.
  if (markers.length < 2 || markers[0]![1] !== '1' || markers[1]![1] !== '2') return null;
  const items = text
    .split(INLINE_NUMBERED)
    .filter((_, i) => i % 2 === 0)
    .slice(1)
    .map((p) => p.trim())
    .filter(Boolean);
  return items.length >= 2 ? items : null;
}

function splitProse(text: string): string[] {
  const sentences = text
    .replace(/\n+/g, ' ')
    .split(/(?<=[.!?])\s+(?=\S)/)
    .flatMap((s) => s.split(STRONG_JOINERS));
  return sentences.flatMap(splitConjunctions);
}

function splitConjunctions(piece: string): string[] {
  const s = piece.trim().replace(/[.!?]+$/, '');
  const commas = s.split(/\s*,\s*(?:and\s+|or\s+)?/).filter(Boolean);
  if (commas.length >= 3) return commas;
  const and = s.split(/\s+and\s+/i);
  if (and.length === 2 && words(and[0]!) >= 2 && words(and[1]!) >= 2) return and;
  return [s];
}

function words(s: string): number {
  return s.trim().split(/\s+/).filter(Boolean).length;
}

function tidy(s: string): string {
  const t = s
    .trim()
    .replace(/^(?:and|then|also)\s+/i, '')
    .replace(/[\s,;:.]+$/, '')
    .trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) : '';
}
