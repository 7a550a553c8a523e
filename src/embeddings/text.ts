/**
 * Text normalisation and word splitting for the hashing embedder. Pure functions, no state.
 */

const LATIN_DIACRITIC = /(\p{Script=Latin})\p{Mn}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * NFKC-normalises, lower-cases and strips diacritics from Latin letters (`Café` → `cafe`).
 * Marks on other scripts are kept: there they often carry meaning (Devanagari vowel signs).
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(LATIN_DIACRITIC, '$1').normalize('NFKC').toLowerCase();
}

/** Maximal runs of letters and digits of an already normalised text. */
export function splitWords(normalized: string): string[] {
  return normalized.match(WORD) ?? [];
}

/**
 * Function words that say little about what a text is about. Short on purpose: it is a weighting
 * hint (such words still count, a little), not a filter.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto about as is am are was were be ' +
    'been being do does did doing done have has had having i me my mine we us our you your he him his she her ' +
    'it its they them their this that these those there here what which who whom whose when where why how ' +
    'not no so too very can could will would shall should may might must just than also s t d ll re ve m ' +
    'up out over under again further once all any both each few more most other some such only own same'
  ).split(' '),
);

/**
 * A light, conservative English suffix stripper so that `memories`/`memory` and
 * `walked`/`walking`/`walk` share a feature. Words of other languages rarely match its rules;
 * when they do, the character n-grams still carry the original form.
 */
export function lightStem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  const stem = stripSuffix(word);
  // A final e is dropped too, so love / loved / loving all become `lov`.
  return stem.length > 3 && stem.endsWith('e') ? stem.slice(0, -1) : stem;
}

function stripSuffix(word: string): string {
  const n = word.length;
  if (word.endsWith('ies') && n > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && n > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && n > 4 && !word.endsWith('eed')) return undouble(word.slice(0, -2));
  if (/(?:ch|sh|x|z)es$/.test(word) && n > 4) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `runn` → `run`, but `fall` and `miss` stay (English rarely doubles l, s, z at the end of a stem). */
function undouble(stem: string): string {
  const n = stem.length;
  const last = stem[n - 1];
  if (n >= 3 && last === stem[n - 2] && last !== undefined && !'aeioulsz'.includes(last)) return stem.slice(0, -1);
  return stem;
}
