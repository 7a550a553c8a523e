import { type StemmerName, stemmerFor } from './stem.js';

/**
 * A short English stop-word list: function words that carry no topic. Question words are here
 * too; the query parser reads them for intent (`when` → temporal) before they are dropped.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but nor so if then than that this these those there here ' +
    'is am are was were be been being do does did doing done have has had having ' +
    'i me my mine myself you your yours yourself he him his himself she her hers herself ' +
    'it its itself we us our ours ourselves they them their theirs themselves ' +
    'to of in on at by for with from into onto about as up down out off over under ' +
    'what which who whom whose when where why how ' +
    'will would shall should can could might must ' +
    'not no just very too also any some all each both such only own same other ' +
    's t d ll m re ve im ive id youre thats its dont didnt doesnt isnt wasnt cant wont'
  ).split(/\s+/),
);

/** Scripts written without spaces: indexed as overlapping character bigrams. */
const UNSEGMENTED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Words (letters and digits, with inner apostrophes) in any script. */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Options of {@link createTokenizer}. */
export interface TokenizerOptions {
  /** Stemmer for Latin-script words. Default `porter` (Porter-lite). */
  stemmer?: StemmerName;
  /** Words dropped from documents and queries. Default {@link STOP_WORDS}. */
  stopWords?: ReadonlySet<string>;
}

/** Turns text into index terms. */
export interface Tokenizer {
  /** Terms in order, lower-cased, stop words removed, stemmed. Numbers are kept as written. */
  terms(text: string): string[];
  /** Lower-cased words before stop-word removal and stemming (for intent detection). */
  words(text: string): string[];
  /** Stems one lower-case word (memoised). */
  stem(word: string): string;
}

/**
 * Creates a tokenizer: NFKC + lower case, Unicode words, possessive `'s` and contractions folded
 * ("Caroline's" → "caroline", "I'm" → "im"), character bigrams for unsegmented scripts.
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const stemFn = stemmerFor(options.stemmer ?? 'porter');
  const stop = options.stopWords ?? STOP_WORDS;
  const cache = new Map<string, string>();
  const stem = (w: string): string => {
    let s = cache.get(w);
    if (s === undefined) {
      s = stemFn(w);
      if (cache.size > 200_000) cache.clear();
      cache.set(w, s);
    }
    return s;
  };

  const words = (text: string): string[] => {
    const out: string[] = [];
    for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
      const raw = match[0];
      if (UNSEGMENTED.test(raw)) {
        pushBigrams(raw, out);
        continue;
      }
      const apostrophe = raw.search(/['’]/);
      if (apostrophe < 0) out.push(raw);
      else if (/['’]s$/.test(raw)) out.push(raw.slice(0, apostrophe));
      else out.push(raw.replace(/['’]/g, ''));
    }
    return out;
  };

  return {
    words,
    stem,
    terms(text) {
      const out: string[] = [];
      for (const w of words(text)) if (!stop.has(w)) out.push(stem(w));
      return out;
    },
  };
}

/** Splits a run of an unsegmented script into overlapping character bigrams (one char alone). */
function pushBigrams(run: string, out: string[]): void {
  const chars = [...run];
  if (chars.length === 1) {
    out.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
}
