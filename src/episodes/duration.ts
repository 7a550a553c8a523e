import type { Steps } from './types.js';

/** How long an episode's work took, and from what. */
export interface EpisodeDuration {
  /** The duration rewards and reflections use, ms. */
  ms: number;
  /** `logged`: the steps' own latencies say the work took longer than the calls were apart; else `wall`. */
  basis: 'wall' | 'logged';
  /** Between start_episode and completion, ms. */
  wallMs: number;
  /** Sum of the steps' `latency_ms` (0 when none carries one). */
  loggedMs: number;
}

/**
 * The larger of the wall time between start and completion and the sum of the steps' logged
 * latencies. An agent that logs its steps after the fact calls start, log_step and complete within
 * milliseconds, yet its steps say how long the work took; steps logged as they happen sit inside
 * the wall time, which then wins. The sum (not the span of step times) is used because the steps
 * of one episode run one after another and `at` is often the time of logging, not of the work.
 */
export function episodeDuration(startedAt: number, completedAt: number, steps: Steps): EpisodeDuration {
  const wallMs = Math.max(0, completedAt - startedAt);
  const loggedMs = steps.reduce((sum, s) => sum + (s.latencyMs !== null && s.latencyMs !== undefined && s.latencyMs > 0 ? s.latencyMs : 0), 0);
  return loggedMs > wallMs ? { ms: loggedMs, basis: 'logged', wallMs, loggedMs } : { ms: wallMs, basis: 'wall', wallMs, loggedMs };
}

/** A duration in words: `134 ms`, `10.3 s`, `12 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
