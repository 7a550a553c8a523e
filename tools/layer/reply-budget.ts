/**
 * Every tool reply has a budget (`CAIRN_MAX_REPLY_TOKENS`, tokens ≈ UTF-8 bytes / 4). A reply is
 * its `structuredContent` plus the same JSON as text, and both copies count, so no client sees
 * more than the budget whichever copy it reads. A reply over budget gives way in the order its
 * tool declares (drop list items, shorten texts), then by generic cuts (long strings, then the
 * largest lists) that always hold; it is marked `truncated: true`, with `omitted` (items of a
 * list, characters of a text, by path) and a `hint` saying how to get the rest.
 */
import { CairnError } from '../../src/errors.js';
import { allSlots, slots } from './reply-paths.js';
import { type CutLog, counts, cutLists, cutTexts, dropFields, type Fits } from './shrink.js';

/** Default reply budget in tokens. */
export const DEFAULT_MAX_REPLY_TOKENS = 6000;
/** Bytes per token assumed when estimating. */
export const BYTES_PER_TOKEN = 4;

/** One way a reply gives way. Paths are dotted keys; `*` stands for each element of an array or value of an object. */
export type ShrinkStep =
  /** Drop items of the list(s) at `list`, keeping the `first` (default) or `last` ones, at least `min` (default 0). */
  | { list: string; keep?: 'first' | 'last'; min?: number }
  /** Shorten the text(s) at `text` to the `head` (default) or both `ends`, to no fewer than `min` characters (default 200). */
  | { text: string; keep?: 'head' | 'ends'; min?: number }
  /** Leave out the optional field(s) at `drop` altogether. */
  | { drop: string };

/** How a tool's reply fits its budget. */
export interface ReplyPlan<I = unknown> {
  /** Cuts to try, in order, before the generic ones. */
  shrink?: ShrinkStep[];
  /** How to get what was left out (a cursor, `detail`, a narrower filter). */
  hint: string;
  /** A tighter bound the call itself asked for: JSON characters (per copy) or tokens (whole reply). */
  limit?: (input: I) => { maxChars?: number | undefined; maxTokens?: number | undefined } | undefined;
}

/** The budget of one reply. */
export interface ReplyBudget {
  /** Whole reply (both copies), in UTF-8 bytes. */
  maxBytes: number;
  /** One copy of the JSON, in characters. */
  maxChars?: number;
}

/** Fields the budget adds to a reply it cut. */
export interface BudgetMarks {
  truncated?: boolean;
  omitted?: Record<string, number>;
  hint?: string;
}

const GENERIC_HINT = 'ask for less (a lower limit, a narrower filter or less detail)';
/** Strings at or under this length (ids, times, enum values) are never cut by the generic pass. */
const GENERIC_TEXT_MIN = 64;
/** Digits of an `omitted` count at most (counts stay below 10^7). */
const COUNT_DIGITS = 7;

/** The budget for a call: the server's, tightened by what the call asked for. */
export function budgetFor(maxReplyTokens: number, limit?: { maxChars?: number | undefined; maxTokens?: number | undefined }): ReplyBudget {
  const tokens = Math.min(maxReplyTokens, limit?.maxTokens ?? Number.POSITIVE_INFINITY);
  return { maxBytes: tokens * BYTES_PER_TOKEN, ...(limit?.maxChars !== undefined ? { maxChars: limit.maxChars } : {}) };
}

/** Bytes a reply of this JSON costs: the structured copy and the text copy. */
export const replyCost = (jsonBytes: number): number => 2 * jsonBytes;

/**
 * Fits a tool's output into the budget. Returns the JSON text to send (the same object as
 * `structuredContent`), or null when even the generic cuts could not make it fit.
 */
export function fitReply(
  out: Record<string, unknown>,
  plan: ReplyPlan | undefined,
  budget: ReplyBudget,
): { value: Record<string, unknown>; json: string } | null {
  const first = JSON.stringify(out);
  const fits: Fits = (chars, bytes) => replyCost(bytes) <= budget.maxBytes && chars <= (budget.maxChars ?? Number.POSITIVE_INFINITY);
  if (fits(first.length, Buffer.byteLength(first, 'utf8'))) return { value: out, json: first };

  const value = JSON.parse(first) as Record<string, unknown> & BudgetMarks;
  // What the tool itself already left out (e.g. console output beyond its cap) stays counted.
  const own: Record<string, number> = { ...(value.omitted ?? {}) };
  const log: CutLog = { cuts: [] };
  value.truncated = true;
  value.hint = plan?.hint ?? GENERIC_HINT;
  const recount = () => {
    const omitted: Record<string, number> = { ...own };
    for (const [label, n] of counts(log, value)) omitted[label] = (omitted[label] ?? 0) + n;
    value.omitted = omitted;
  };
  const measure = () => {
    const text = JSON.stringify(value);
    return { chars: text.length, bytes: Buffer.byteLength(text, 'utf8') };
  };
  const done = () => {
    recount();
    const { chars, bytes } = measure();
    return fits(chars, bytes) ? { value, json: JSON.stringify(value) } : null;
  };
  // A cut chooses its size before its count is written: keep room for the count's key and digits.
  const room =
    (label: string): Fits =>
    (chars, bytes) => {
      const slack = JSON.stringify(label).length + 2 + COUNT_DIGITS * (Object.keys(value.omitted ?? {}).length + 1);
      return fits(chars + slack, bytes + slack);
    };
  recount();
  for (const step of plan?.shrink ?? []) {
    if ('list' in step) cutLists(slots(value, step.list), step.keep ?? 'first', step.min ?? 0, measure(), room(step.list), log, step.list);
    else if ('text' in step) cutTexts(slots(value, step.text), step.keep ?? 'head', step.min ?? 200, measure(), room(step.text), log, step.text);
    else dropFields(slots(value, step.drop), log, step.drop);
    const fitted = done();
    if (fitted) return fitted;
  }
  cutTexts(allSlots(value, 'string'), 'head', GENERIC_TEXT_MIN, measure(), room('text'), log, 'text');
  const texts = done();
  if (texts) return texts;
  // Last resort: the largest lists, one at a time, as far as needed.
  const lists = allSlots(value, 'array').sort((a, b) => JSON.stringify(get(b)).length - JSON.stringify(get(a)).length);
  for (const list of lists) {
    cutLists([list], 'first', 0, measure(), room(list.at), log, list.at);
    const fitted = done();
    if (fitted) return fitted;
  }
  return null;
}

const get = (s: { parent: unknown; key: string | number }) => (s.parent as Record<string | number, unknown>)[s.key];

/** A tool result within the budget: the JSON once as structured content and once as text. */
export interface BudgetedReply {
  [key: string]: unknown;
  structuredContent: Record<string, unknown>;
  content: Array<{ type: 'text'; text: string }>;
}

/**
 * The reply for a tool's output under the server's budget (`maxReplyTokens`) and whatever the call
 * itself asked for. Throws `REPLY_TOO_LARGE` in the rare case nothing could be cut enough.
 */
export function budgetedReply<I>(plan: ReplyPlan<I> | undefined, input: I, out: Record<string, unknown>, maxReplyTokens: number): BudgetedReply {
  const budget = budgetFor(maxReplyTokens, plan?.limit?.(input));
  const fitted = fitReply(out, plan as ReplyPlan | undefined, budget);
  if (!fitted) {
    const tokens = Math.round(replyCost(Buffer.byteLength(JSON.stringify(out), 'utf8')) / BYTES_PER_TOKEN);
    const bound =
      budget.maxChars !== undefined && budget.maxChars * 2 < budget.maxBytes
        ? `${budget.maxChars} characters, the bound the call asked for`
        : `the budget of ${Math.floor(budget.maxBytes / BYTES_PER_TOKEN)} tokens`;
    throw new CairnError('REPLY_TOO_LARGE', `the reply would take about ${tokens} tokens and could not be cut to ${bound}; ${plan?.hint ?? GENERIC_HINT}`);
  }
  return { structuredContent: fitted.value, content: [{ type: 'text', text: fitted.json }] };
}
