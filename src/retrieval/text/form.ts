/**
 * Surface form of a text that matters for ranking: a leading label ("Caroline: …", "User: …",
 * "Error: …") names who or what the text is about, and a text that only asks a question rarely
 * holds an answer.
 */

/** A leading label: one to three words (letters, dots, apostrophes, hyphens) and a colon. */
const LABEL = /^\s*([\p{L}][\p{L}.'’-]*(?:\s+[\p{L}][\p{L}.'’-]*){0,2})\s*:\s/u;

/** The leading label of `text` ("Caroline" in "Caroline: hi"), or undefined when there is none. */
export function leadingLabel(text: string): string | undefined {
  return LABEL.exec(text)?.[1];
}

/** Bracketed asides at the end (e.g. "[photo: …]") do not change whether a text asks. */
const TRAILING_ASIDES = /(\s*\[[^\]]*\])+\s*$/u;

/** True when the text ends with a question mark (ignoring trailing bracketed asides). */
export function isInterrogative(text: string): boolean {
  return /\?\s*$/.test(text.replace(TRAILING_ASIDES, ''));
}

/** Words that open an English question. */
const QUESTION_START = /^\s*(who|whom|whose|what|which|when|where|why|how|did|do|does|is|are|was|were|has|have|had|can|could|will|would|should)\b/i;

/** True when a query is phrased as a question (a question mark, or a question word first). */
export function isQuestionQuery(text: string): boolean {
  return /\?/.test(text) || QUESTION_START.test(text);
}
