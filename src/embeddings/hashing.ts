import { CairnError } from '../errors.js';
import { lightStem, normalizeText, STOP_WORDS, splitWords } from './text.js';
import type { Embedder } from './types.js';

/** Options of {@link createHashingEmbedder}. */
export interface HashingEmbedderOptions {
  /** Vector length, an integer in 16..8192. Default 384 (the size of MiniLM vectors). */
  dim?: number;
}

/**
 * Bump when features, weights or hashing change: the id must change with the vector space, so
 * vectors stored by an older version are recomputed rather than compared with new ones.
 */
const VERSION = 1;

/** Texts longer than this are embedded from their first 32k characters (bounds the cost). */
const MAX_CHARS = 32_768;
/** Character n-grams are taken from at most this many characters of a word (URLs, hashes). */
const MAX_GRAM_WORD = 32;

// Character n-grams dominate on purpose: without corpus statistics (no IDF) they match word forms
// and misspellings best; whole words and bigrams add precision at a lower weight. On the LoCoMo
// dev file (vector score alone, dim 384) this mix gave recall@5 ≈ 0.37 vs 0.35 for word-heavy weights.
const WEIGHT_WORD = 0.6;
const WEIGHT_STOP_WORD = 0.1;
const WEIGHT_BIGRAM = 0.3;
const WEIGHT_CHAR_GRAM = 1;

const FAMILY_WORD = 0;
const FAMILY_STOP_WORD = 1;
const FAMILY_BIGRAM = 2;
const FAMILY_CHAR_GRAM = 3;
const FAMILY_WEIGHTS = [WEIGHT_WORD, WEIGHT_STOP_WORD, WEIGHT_BIGRAM, WEIGHT_CHAR_GRAM] as const;

const SEED_WORD = 0x2f6b_9a1d;
const SEED_BIGRAM = 0x5c1e_73b3;
const SEED_CHAR_GRAM = 0x91a4_e60f;

/**
 * A deterministic embedder that needs no model: signed feature hashing of
 * - word unigrams (lightly stemmed; stop words kept at a small weight),
 * - bigrams of neighbouring content words,
 * - character 3-, 4- and 5-grams of each content word with boundary markers (`<word>`),
 * each weighted by sublinear term frequency (1 + ln tf), after NFKC normalisation, lower-casing
 * and Latin diacritic folding; the vector is L2-normalised. A text without letters or digits
 * gives the all-zero vector. Id: `hashing-v1-<dim>`.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dim = options.dim ?? 384;
  if (!Number.isInteger(dim) || dim < 16 || dim > 8192) {
    throw new CairnError('CONFIG_INVALID', `hashing embedder: dim must be an integer in 16..8192, got ${String(dim)}`);
  }
  return {
    id: `hashing-v${VERSION}-${dim}`,
    dim,
    cheap: true,
    embed: async (texts) => texts.map((text) => hashingVector(text, dim)),
  };
}

/** The hashing embedding of one text (synchronous core of {@link createHashingEmbedder}). */
export function hashingVector(text: string, dim: number): Float32Array {
  const features = new FeatureCounts();
  const words = splitWords(normalizeText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text));
  let previous: number | undefined;
  for (const word of words) {
    if (STOP_WORDS.has(word)) {
      features.add(hashRange(word, 0, word.length, SEED_WORD), FAMILY_STOP_WORD);
      continue;
    }
    const stem = lightStem(word);
    const wordHash = hashRange(stem, 0, stem.length, SEED_WORD);
    features.add(wordHash, FAMILY_WORD);
    if (previous !== undefined) features.add(fmix32(Math.imul(previous, 0x9e37_79b1) ^ wordHash ^ SEED_BIGRAM), FAMILY_BIGRAM);
    previous = wordHash;
    addCharGrams(word, features);
  }
  return features.toVector(dim);
}

function addCharGrams(word: string, features: FeatureCounts): void {
  const marked = `<${word.length > MAX_GRAM_WORD ? word.slice(0, MAX_GRAM_WORD) : word}>`;
  for (let n = 3; n <= 5; n++) {
    for (let start = 0; start + n <= marked.length; start++) {
      features.add(hashRange(marked, start, start + n, SEED_CHAR_GRAM), FAMILY_CHAR_GRAM);
    }
  }
}

/**
 * Occurrence counts per feature. The key is the feature hash with its two low bits replaced by
 * the family, so one map holds both the count and (through the family) the weight.
 */
class FeatureCounts {
  private readonly counts = new Map<number, number>();

  add(hash: number, family: number): void {
    const key = ((hash & ~3) | family) >>> 0;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toVector(dim: number): Float32Array {
    const vector = new Float32Array(dim);
    for (const [key, count] of this.counts) {
      const weight = (FAMILY_WEIGHTS[key & 3] ?? 0) * (1 + Math.log(count));
      const mixed = fmix32(key);
      // The low bit gives the sign, the rest the bucket: signed hashing keeps collisions unbiased.
      const bucket = (mixed >>> 1) % dim;
      vector[bucket] = (vector[bucket] ?? 0) + (mixed & 1 ? -weight : weight);
    }
    let norm = 0;
    for (let i = 0; i < dim; i++) norm += (vector[i] ?? 0) ** 2;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < dim; i++) vector[i] = (vector[i] ?? 0) * scale;
    }
    return vector;
  }
}

/** 32-bit FNV-1a over the UTF-16 code units `text[start, end)`, offset by `seed`. */
function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = (0x811c_9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x0100_0193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads FNV's weak high bits before bucketing. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
