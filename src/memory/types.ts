/** Kinds a memory can have (`remember`'s `kind`). */
export { MEMORY_KINDS } from '../storage/records.js';
