/**
 * `<private>…</private>` marks text a person does not want stored. Everything between the tags
 * goes, tags included (any case, attributes allowed); an opening tag without its closing tag hides
 * the rest of the text, so a forgotten closing tag errs on the side of privacy.
 */
const PRIVATE = /<private(?:\s[^>]*)?>[\s\S]*?(?:<\/private\s*>|$)/gi;
/** A closing tag left without its opening one carries nothing private; it is dropped. */
const STRAY_CLOSE = /<\/private\s*>/gi;

/** Replaces each private span with a space (so the words around it stay apart) and drops stray closing tags. */
export function stripPrivate(text: string): string {
  if (!/<\/?private/i.test(text)) return text;
  return text.replace(PRIVATE, ' ').replace(STRAY_CLOSE, ' ');
}

/** True when `text` holds a private span. */
export function hasPrivate(text: string): boolean {
  return /<private(?:\s[^>]*)?>/i.test(text);
}

/** `stripPrivate` over every string of a JSON value (object keys included). */
export function stripPrivateDeep<T>(value: T): T {
  return mapStrings(value, stripPrivate) as T;
}

/** Applies `f` to every string in a JSON value, keys included, returning a new value. */
export function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[f(k)] = mapStrings(v, f);
    return out;
  }
  return value;
}
