/** Markup that is already safe to send: built by {@link html} or explicitly trusted with {@link raw}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Any value a template may interpolate: text is escaped, SafeHtml passes, lists are joined, null/undefined/false vanish. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template for markup: every interpolated value is escaped unless it is SafeHtml, so user
 * text (a memory holding `<script>`) always renders as text. Attribute values must be quoted.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusts markup made by this module's own code (never user text). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments. */
export function join(parts: readonly HtmlValue[], sep: HtmlValue = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(sep)));
}
