/** Public surface of the retrieval engine. */
export { createRetrievalIndex } from './retrieval-index.js';
export type { RetrievalOptions, SemanticOptions } from './options.js';
export type * from './types.js';
