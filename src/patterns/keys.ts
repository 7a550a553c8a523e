import type { PatternContext, PatternKind } from './types.js';

/** Separates the parts of a canonical key (a control character no tool name or text contains after normalising). */
const PART = '\u001f';
/** Separates tokens inside the content part of a key. */
const TOKEN = '\u001e';

/** C0 control characters and DEL; PART and TOKEN are among them, so free text can never forge a separator. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

/** Longest normalised free text kept in a key (conditions, choices). */
export const MAX_TEXT = 120;

/** Normalises free text for keys: NFKC, lower case, control characters dropped, white space collapsed, cut to `max`. */
export function normText(s: string, max = MAX_TEXT): string {
  return s.normalize('NFKC').toLowerCase().replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/** Normalises a tool name: trimmed, inner white space collapsed, case kept lower. */
export function normTool(tool: string): string {
  return normText(tool, 100);
}

/** Splits normalised text into word tokens for edit-distance comparison (at most `max`). */
export function words(s: string, max = 16): string[] {
  return (normText(s).match(/[\p{L}\p{N}_.+#-]+/gu) ?? []).slice(0, max);
}

/** The content part of a key: tokens joined. Equal token lists give equal match keys. */
export function matchKeyOf(kind: PatternKind, tokens: readonly string[]): string {
  return `${kind}${PART}${tokens.join(TOKEN)}`;
}

/**
 * Canonical key: kind, task type, domain, language and content. Two candidates with the same key
 * are the same pattern. Task type, domain and language are compared exactly as the episode gave
 * them; tags are not part of the key (they only weigh in near-duplicate similarity).
 */
export function canonicalKey(kind: PatternKind, ctx: PatternContext, tokens: readonly string[]): string {
  return [kind, ctx.taskType, ctx.domain, ctx.language ?? '', tokens.join(TOKEN)].join(PART);
}

/** A context as a short readable phrase: `debugging in web-api (typescript)`. */
export function contextPhrase(ctx: PatternContext): string {
  return `${ctx.taskType} in ${ctx.domain}${ctx.language ? ` (${ctx.language})` : ''}`;
}
