import type { StepRecord } from '../../episodes/types.js';
import { canonicalKey, matchKeyOf, normTool } from '../keys.js';
import type { PatternCandidate, PatternContext } from '../types.js';

/** Shortest and longest tool sequences extracted: 2 to 5 tools in a row. */
export const SEQUENCE_LENGTH = { min: 2, max: 5 } as const;
/** Most sequence candidates one episode contributes; shorter ones are kept first. */
export const MAX_SEQUENCES_PER_EPISODE = 100;

/** Consecutive steps with the same tool, collapsed into one run. */
export interface ToolRun {
  tool: string;
  /** Summed latency of the run's steps, or null when none was recorded. */
  latencyMs: number | null;
}

/** Collapses consecutive calls of one tool (read, read, edit → read, edit) so retries do not spawn sequences. */
export function toolRuns(steps: readonly StepRecord[]): ToolRun[] {
  const runs: ToolRun[] = [];
  for (const s of steps) {
    const tool = normTool(s.tool);
    if (!tool) continue;
    const last = runs.at(-1);
    if (last && last.tool === tool) {
      if (s.latencyMs !== null) last.latencyMs = (last.latencyMs ?? 0) + s.latencyMs;
    } else {
      runs.push({ tool, latencyMs: s.latencyMs });
    }
  }
  return runs;
}

/**
 * Every distinct contiguous window of 2–5 tool runs. Each counts once per episode; `success` is
 * the episode's outcome (success only). Latency is the window's summed latency when every run in
 * it recorded one.
 */
export function extractSequences(steps: readonly StepRecord[], ctx: PatternContext, success: boolean): PatternCandidate[] {
  const runs = toolRuns(steps);
  const out: PatternCandidate[] = [];
  const seen = new Set<string>();
  for (let len = SEQUENCE_LENGTH.min; len <= SEQUENCE_LENGTH.max; len++) {
    for (let i = 0; i + len <= runs.length; i++) {
      if (out.length >= MAX_SEQUENCES_PER_EPISODE) return out;
      const window = runs.slice(i, i + len);
      const tools = window.map((r) => r.tool);
      const key = canonicalKey('tool_sequence', ctx, tools);
      if (seen.has(key)) continue;
      seen.add(key);
      const timed = window.every((r) => r.latencyMs !== null);
      out.push({
        kind: 'tool_sequence',
        key,
        matchKey: matchKeyOf('tool_sequence', tools),
        description: `Tool sequence: ${tools.join(' → ')}`,
        tokens: tools,
        data: { tools, length: len },
        context: ctx,
        success,
        latencyMs: timed ? window.reduce((sum, r) => sum + (r.latencyMs ?? 0), 0) : null,
      });
    }
  }
  return out;
}
