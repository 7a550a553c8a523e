import { ENERGY_DEMANDS, type EnergyDemand, type StepInput } from './types.js';

/** Steps accepted from the model. */
export const MAX_MODEL_STEPS = 12;

/** System prompt for the client's model when Cairn asks it to break a task down. */
export const BREAKDOWN_SYSTEM_PROMPT = 'You break tasks into small, concrete, physical next actions for a person with ADHD. Reply with JSON only.';

/** The sampling prompt: the task, and the exact JSON shape wanted back. */
export function buildBreakdownPrompt(task: string, context: { energyNow?: number; deadline?: number }): string {
  const extra = [
    context.energyNow !== undefined ? `Current energy: ${context.energyNow}/10.` : '',
    context.deadline !== undefined ? `Deadline: ${new Date(context.deadline).toISOString()}.` : '',
  ].filter(Boolean);
  return [
    `Break this task into 3–8 steps: ${JSON.stringify(task)}`,
    ...extra,
    'Each step: a concrete action starting with a verb, doable in at most 20 minutes of real work.',
    'Give your honest raw estimate in minutes; do not pad it (Cairn adds a learned multiplier).',
    'Reply with only a JSON array like:',
    '[{"title": "Open the report draft", "estimate_minutes": 5, "energy": "low", "needs_focus": false}]',
    'energy is one of "low", "medium", "high".',
  ].join('\n');
}

/**
 * Reads the model's reply: the first JSON array in it (code fences allowed), each item needing a
 * non-empty `title`; other fields are kept only when valid. Returns null when nothing usable is
 * found, so the caller can fall back to splitting the text.
 */
export function parseModelSteps(reply: string): StepInput[] | null {
  const start = reply.indexOf('[');
  const end = reply.lastIndexOf(']');
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const steps: StepInput[] = [];
  for (const item of parsed.slice(0, MAX_MODEL_STEPS)) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const title = typeof o.title === 'string' ? o.title.trim().slice(0, 200) : '';
    if (!title) continue;
    const step: StepInput = { title };
    const est = Number(o.estimate_minutes);
    if (Number.isFinite(est) && est >= 1 && est <= 480) step.estimateMinutes = Math.round(est);
    if (ENERGY_DEMANDS.includes(o.energy as EnergyDemand)) step.energy = o.energy as EnergyDemand;
    if (typeof o.needs_focus === 'boolean') step.needsFocus = o.needs_focus;
    steps.push(step);
  }
  return steps.length ? steps : null;
}
