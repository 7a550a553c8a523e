import { clipToTokens, estimateTokens, oneLine } from './tokens.js';
import type { PromptContext } from './types.js';

/** A memory found for a prompt, with its relevance. */
export interface PromptMemory {
  id: string;
  namespace: string;
  text: string;
  kind: string;
  occurredAt: number | null;
  relevance: number;
  global: boolean;
}

/** Longest memory shown for a prompt, in tokens. */
const ITEM_TOKENS = 120;

/**
 * Renders the memories relevant to a prompt, best first, as many as fit in `budget` tokens, each
 * cut to a short paragraph. Null when none fits (or none was given): the prompt then gets nothing.
 */
export function renderPromptContext(memories: readonly PromptMemory[], budget: number): PromptContext | null {
  let text = 'Cairn memories related to this prompt (recorded earlier; may be out of date):';
  if (memories.length === 0 || estimateTokens(text) >= budget) return null;
  const shown: PromptContext['memories'] = [];
  for (const m of memories) {
    const when = m.occurredAt === null ? '' : `, ${new Date(m.occurredAt).toISOString().slice(0, 10)}`;
    const item = clipToTokens(`\n- ${oneLine(m.text)} (${m.kind}${m.global ? ', global' : ''}${when})`, ITEM_TOKENS);
    if (estimateTokens(text + item) > budget) continue;
    text += item;
    shown.push({ id: m.id, namespace: m.namespace, relevance: Math.round(m.relevance * 1000) / 1000 });
  }
  return shown.length === 0 ? null : { text, tokens: estimateTokens(text), memories: shown };
}
