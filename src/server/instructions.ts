import type { Toolset } from '../config/toolsets.js';

/** Longest `initialize` instructions, in characters: they reach the model at every session start. */
export const MAX_INSTRUCTIONS_CHARS = 800;

/** What each toolset's tools are for, naming only its own tools. */
const PARTS: Record<Toolset, string> = {
  memory: 'Call query_memory before starting work and when the user mentions the past; remember decisions, preferences and facts worth keeping.',
  episodes: 'Wrap multi-step work in start_episode → log_step (failures too) → complete_episode so Cairn learns what works.',
  patterns: 'analyze_patterns shows what worked for a kind of task; advanced_pattern_analysis tests trends and forecasts in series.',
  adhd:
    'ADHD support: break_down_task gives realistic steps (update_task with actual minutes calibrates them), log_energy and energy_report ' +
    'track energy, focus tracks sessions and breaks, recover_context answers "where was I?", get_check_ins lists nudges.',
  sandbox: 'execute_agent_code runs JavaScript over data you already have.',
  ops: 'health_check and get_metrics report status.',
};

const BOUNDED = 'Replies are bounded: a truncated one carries a hint for the rest.';

/** The `initialize` instructions for a session: only the enabled toolsets' tools, at most {@link MAX_INSTRUCTIONS_CHARS} characters. */
export function instructionsFor(toolsets: readonly Toolset[]): string {
  const parts = (Object.keys(PARTS) as Toolset[]).filter((t) => toolsets.includes(t)).map((t) => PARTS[t]);
  return [...parts, BOUNDED].join(' ');
}
