import type { EpisodeWithSteps } from '../../episodes/types.js';
import { canonicalKey, matchKeyOf, normText, normTool, words } from '../keys.js';
import type { PatternCandidate, PatternContext } from '../types.js';

/** Keys (case-insensitive) that mark a recorded decision in step parameters or episode context. */
export const DECISION_KEYS = ['decision', 'branch', 'choice'] as const;
/** Fields of a decision object naming what was decided about. */
const CONDITION_FIELDS = ['condition', 'question', 'when', 'point', 'about', 'name'] as const;
/** Fields of a decision object naming what was chosen. */
const CHOSEN_FIELDS = ['chosen', 'choice', 'selected', 'option', 'value', 'action', 'branch', 'decision'] as const;
/** Most decisions taken from one episode. */
export const MAX_DECISIONS_PER_EPISODE = 10;

interface Found {
  condition: string;
  chosen: string;
  alternatives: string[];
  latencyMs: number | null;
}

const scalar = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? normText(String(v)) || null : null);

function pick(obj: Record<string, unknown>, fields: readonly string[]): string | null {
  for (const f of fields) {
    const v = scalar(obj[f]);
    if (v) return v;
  }
  return null;
}

/** Reads one decision value: a scalar (the choice) or an object with condition/chosen/options fields. */
function readDecision(value: unknown, fallbackCondition: string, latencyMs: number | null, out: Found[]): void {
  if (Array.isArray(value)) {
    for (const v of value.slice(0, MAX_DECISIONS_PER_EPISODE)) readDecision(v, fallbackCondition, latencyMs, out);
    return;
  }
  const chosenScalar = scalar(value);
  if (chosenScalar) {
    out.push({ condition: fallbackCondition, chosen: chosenScalar, alternatives: [], latencyMs });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  const chosen = pick(obj, CHOSEN_FIELDS);
  if (!chosen) return;
  const options = obj.options ?? obj.alternatives;
  const alternatives = Array.isArray(options)
    ? options
        .map(scalar)
        .filter((x): x is string => x !== null)
        .slice(0, 10)
    : [];
  out.push({ condition: pick(obj, CONDITION_FIELDS) ?? fallbackCondition, chosen, alternatives, latencyMs });
}

function decisionEntries(obj: Record<string, unknown>): unknown[] {
  return Object.entries(obj)
    .filter(([k]) => (DECISION_KEYS as readonly string[]).includes(k.toLowerCase()))
    .map(([, v]) => v);
}

/**
 * Decision points: branches recorded under a `decision`, `branch` or `choice` key in a step's
 * parameters (condition: the decision's own condition/question field, else the step's tool and
 * action) or in the episode context (condition field, else the key name). Success is the
 * episode's outcome. One candidate per key per episode.
 */
export function extractDecisions(ep: EpisodeWithSteps, ctx: PatternContext, success: boolean): PatternCandidate[] {
  const found: Found[] = [];
  for (const s of ep.steps) {
    for (const v of decisionEntries(s.parameters)) readDecision(v, normText(`${normTool(s.tool)}: ${s.action}`), s.latencyMs, found);
  }
  for (const [k, v] of Object.entries(ep.context)) {
    if ((DECISION_KEYS as readonly string[]).includes(k.toLowerCase())) readDecision(v, normText(k), null, found);
  }
  const out = new Map<string, PatternCandidate>();
  for (const d of found) {
    if (out.size >= MAX_DECISIONS_PER_EPISODE) break;
    const tokens = [...words(d.condition), '=>', ...words(d.chosen, 8)];
    const key = canonicalKey('decision_point', ctx, tokens);
    if (out.has(key)) continue;
    out.set(key, {
      kind: 'decision_point',
      key,
      matchKey: matchKeyOf('decision_point', tokens),
      description: `Decision: ${d.condition} → ${d.chosen}`,
      tokens,
      data: { condition: d.condition, chosen: d.chosen, alternatives: d.alternatives },
      context: ctx,
      success,
      latencyMs: d.latencyMs,
    });
  }
  return [...out.values()];
}
