/** Public surface of the retrieval engine. */

/** Reciprocal rank fusion of ranked lists: the one RRF every search engine uses. */
export { type RankedList, reciprocalRankFusion } from './fusion.js';
/** Options of the index and of its learned semantic signal. */
export type { RetrievalOptions, SemanticOptions } from './options.js';
/** Vector cosine from which a document counts as evidence on its own (every engine uses it). */
export { DEFAULT_EVIDENCE_COSINE } from './options.js';
export { createRetrievalIndex, restoreRetrievalIndex } from './retrieval-index.js';
export { createImageAssembler, type ImageAssembler, type ImageLayout, type SectionValue } from './snapshot/image.js';
/** Snapshots: the header stored beside an image, and the assembler that reads an image back in pieces. */
export { INDEX_FORMAT } from './snapshot/index-image.js';
/** The tokenizer the index uses (Unicode words, stop words, Porter-lite stems), for callers that compare texts the same way. */
export { createTokenizer, STOP_WORDS } from './text/tokenize.js';
/** Documents, queries, filters, results and the index interface. */
export type * from './types.js';
