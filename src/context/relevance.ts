import { createTokenizer, STOP_WORDS } from '../retrieval/index.js';

/**
 * Words of a request that say nothing about its topic ("can you please help me fix…"): dropped
 * from a prompt before it is compared with memories, with the index's own stop words.
 */
const REQUEST_WORDS = (
  'please help want wanna need let lets like know tell show give make get got use using try think thing things something anything ' +
  'way now today ok okay yes yeah thanks thank hi hello hey really maybe quick quickly more much many one new good well right sure still ' +
  'go going look see work working'
).split(' ');

const tokenizer = createTokenizer({ stopWords: new Set([...STOP_WORDS, ...REQUEST_WORDS]) });

/** The distinct topic terms of a text (stemmed, stop and request words removed, at least 2 characters). */
export function topicTerms(text: string): Set<string> {
  return new Set(tokenizer.terms(text).filter((t) => t.length >= 2));
}

/** How many shared topic terms count as full relevance. */
const ENOUGH = 4;

/**
 * Relevance of a memory to a prompt, 0..1, the same for every search engine (their scores are
 * relative to each query): the share of the prompt's topic terms the memory (text and tags)
 * contains, out of at most {@link ENOUGH}. A long prompt needs a few shared terms, a one-word
 * prompt its word. A vector similarity, when the engine reports one, counts when it is higher.
 */
export function relevance(prompt: ReadonlySet<string>, memory: { text: string; tags: readonly string[]; parts?: Record<string, number> }): number {
  if (prompt.size === 0) return 0;
  const terms = topicTerms(`${memory.text} ${memory.tags.join(' ')}`);
  let shared = 0;
  for (const t of prompt) if (terms.has(t)) shared++;
  const lexical = shared / Math.min(prompt.size, ENOUGH);
  const vector = memory.parts?.vector ?? 0;
  return Math.min(1, Math.max(lexical, vector >= VECTOR_FLOOR ? vector : 0));
}

/** A vector similarity below this says little (hashing vectors of unrelated texts reach 0.3). */
const VECTOR_FLOOR = 0.6;

/** Relevance below this is not worth a prompt's context. Default 0.5: half the prompt's topic. */
export const RELEVANCE_FLOOR = 0.5;
