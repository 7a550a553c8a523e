/**
 * Tokens as Cairn budgets them: UTF-8 bytes ÷ 4, rounded up. Close to what model tokenizers
 * count for English prose and code, and never an undercount for the multi-byte scripts.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

/** `text` cut (at a character boundary, marked `…`) so that it fits in `tokens`. */
export function clipToTokens(text: string, tokens: number): string {
  if (estimateTokens(text) <= tokens) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(`${text.slice(0, mid)}…`) <= tokens) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo).trimEnd()}…` : '';
}

/** One line of text: whitespace runs (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
