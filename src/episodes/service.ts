import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { PatternPlan, PatternPlanResult } from '../patterns/types.js';
import { stripPrivate, stripPrivateDeep } from '../privacy/private-tags.js';
import type { EpisodeFilter, EpisodeRepo } from '../storage/episode-repo.js';
import { happenedAt } from '../time.js';
import { episodeDuration } from './duration.js';
import { reflect } from './reflection.js';
import { computeReward } from './reward.js';
import {
  type EpisodeWithSteps,
  OPEN_EPISODE,
  type Outcome,
  type OutcomeType,
  type PatternRef,
  type Reflection,
  type Reward,
  type StepRecord,
  type StepResultType,
  type TaskComplexity,
} from './types.js';

/** Input of `start`. Times are epoch ms. */
export interface StartEpisodeInput {
  task: string;
  taskType: string;
  domain: string;
  language?: string;
  framework?: string;
  tags?: string[];
  /** Default `moderate`. */
  complexity?: TaskComplexity;
  context?: Record<string, unknown>;
  /** When the work started; default now. Back-fill only (see `happenedAt`). */
  startedAt?: number;
}

/** Input of `logStep`. Times are epoch ms. */
export interface LogStepInput {
  episodeId: string;
  tool: string;
  action: string;
  parameters?: Record<string, unknown>;
  result?: { type: StepResultType; output?: string; message?: string };
  latencyMs?: number;
  /** When the step happened; default now. Back-fill only. */
  at?: number;
}

/** What `complete` returns. */
export interface Completion {
  episodeId: string;
  reward: Reward;
  reflection: Reflection;
  patterns: PatternRef[];
  summary: string;
  /** How long the work took: the wall time, or the sum of the steps' logged latencies when longer (`episodeDuration`). */
  durationMs: number;
  stepCount: number;
}

/** What a completion hook found in a finished episode. */
export interface CompletionFindings {
  /** Patterns found or reinforced, as `complete` returns them. */
  patterns: PatternRef[];
  /** How many of them are new (for the learning bonus). */
  newCount: number;
  /** Writes committed with the completion, in its transaction (plain data; the storage layer persists it). */
  plan?: PatternPlan;
  /** Told what the plan wrote, once the completion has committed. */
  committed?(result: PatternPlanResult): void;
}

/** Work run on every completion (pattern extraction): it sees the finished episode before anything is written. */
export interface CompletionHook {
  extract(ep: EpisodeWithSteps, reward: { outcomeType: OutcomeType }): Promise<CompletionFindings>;
}

/** The episode lifecycle: start → log steps → complete (reward, reflection, patterns). */
export interface EpisodeService {
  start(ns: string, input: StartEpisodeInput): Promise<{ episodeId: string; startedAt: number }>;
  logStep(ns: string, input: LogStepInput): Promise<{ episodeId: string; stepNumber: number }>;
  /** Completes an open episode; `at` (epoch ms, default now) is when the work finished. */
  complete(ns: string, episodeId: string, outcome: Outcome, at?: number): Promise<Completion>;
  get(ns: string, id: string): Promise<EpisodeWithSteps>;
  list(ns: string, filter: EpisodeFilter, limit: number): ReturnType<EpisodeRepo['list']>;
  /** Open and completed episodes, successes and steps in the namespace. */
  counts(ns: string): ReturnType<EpisodeRepo['counts']>;
  /** Registers work to run inside every completion (pattern extraction). */
  addCompletionHook(hook: CompletionHook): void;
}

/** Dependencies of the episode service. */
export interface EpisodeServiceDeps {
  repo: EpisodeRepo;
  clock: Clock;
}

/** Creates the episode service. */
export function createEpisodeService({ repo, clock }: EpisodeServiceDeps): EpisodeService {
  const hooks: CompletionHook[] = [];

  async function mustGet(ns: string, id: string): Promise<EpisodeWithSteps> {
    const ep = await repo.get(ns, id);
    if (!ep) throw new CairnError('NOT_FOUND', `episode_id: no episode ${id} in this namespace; start one with start_episode`);
    return ep;
  }

  return {
    async start(ns, input) {
      const now = happenedAt(clock, input.startedAt, 'started_at');
      const id = uuidv7(now);
      await repo.create({
        id,
        namespace: ns,
        task: stripPrivate(input.task),
        taskType: input.taskType,
        domain: input.domain,
        language: input.language ?? null,
        framework: input.framework ?? null,
        tags: input.tags ?? [],
        complexity: input.complexity ?? 'moderate',
        context: stripPrivateDeep(input.context ?? {}),
        ...OPEN_EPISODE,
        startedAt: now,
        updatedAt: now,
      });
      return { episodeId: id, startedAt: now };
    },

    async logStep(ns, input) {
      // Text inside <private>…</private> is never stored.
      const out = await repo.appendStep(ns, input.episodeId, {
        tool: input.tool,
        action: stripPrivate(input.action),
        parameters: stripPrivateDeep(input.parameters ?? {}),
        result: input.result ? stripPrivateDeep(input.result) : null,
        latencyMs: input.latencyMs ?? null,
        at: happenedAt(clock, input.at),
      });
      if (out === 'unknown') throw new CairnError('NOT_FOUND', `episode_id: no episode ${input.episodeId} in this namespace; start one with start_episode`);
      if (out === 'closed')
        throw new CairnError(
          'EPISODE_CLOSED',
          `episode_id: episode ${input.episodeId} is already completed; steps can only be logged to an open episode (start a new one)`,
        );
      return { episodeId: input.episodeId, stepNumber: out };
    },

    async complete(ns, episodeId, outcome, at) {
      const ep = await mustGet(ns, episodeId);
      if (ep.status !== 'open')
        throw new CairnError(
          'ALREADY_COMPLETED',
          `episode_id: episode ${episodeId} was already completed (reward ${ep.reward}); completing twice is not allowed`,
        );
      const completedAt = Math.max(happenedAt(clock, at, 'completed_at'), ep.startedAt);
      const duration = episodeDuration(ep.startedAt, completedAt, ep.steps);
      const durationMs = duration.ms;
      const finished: EpisodeWithSteps = { ...ep, status: 'completed', outcomeType: outcome.type, completedAt };

      const found = await Promise.all(hooks.map((h) => h.extract(finished, { outcomeType: outcome.type })));
      const patterns = found.flatMap((f) => f.patterns);
      const newCount = found.reduce((n, f) => n + f.newCount, 0);
      const reward = computeReward({ outcome, steps: ep.steps, complexity: ep.complexity, duration, newPatterns: newCount });
      const reflection = reflect(outcome, ep.steps, reward, durationMs);
      const summary = summarise(ep, outcome, ep.steps);

      const planned = found.filter((f): f is CompletionFindings & { plan: PatternPlan } => f.plan !== undefined);
      const res = await repo.complete(
        ns,
        episodeId,
        { outcomeType: outcome.type, outcome, reward: reward.total, rewardParts: { ...reward }, reflection: { ...reflection }, summary, completedAt },
        planned.map((f) => f.plan),
      );
      if (res.status !== 'ok') {
        throw res.status === 'closed'
          ? new CairnError('ALREADY_COMPLETED', `episode_id: episode ${episodeId} was completed concurrently by another call; nothing was written`)
          : new CairnError('NOT_FOUND', `episode_id: no episode ${episodeId} in this namespace`);
      }
      for (const [i, f] of planned.entries()) f.committed?.(res.patterns[i]!);
      return { episodeId, reward, reflection, patterns, summary, durationMs, stepCount: ep.steps.length };
    },

    get: mustGet,
    list: (ns, filter, limit) => repo.list(ns, filter, limit),
    counts: (ns) => repo.counts(ns),
    addCompletionHook: (hook) => {
      hooks.push(hook);
    },
  };
}

/** One searchable line: task, outcome and the tools used. */
function summarise(ep: EpisodeWithSteps, outcome: Outcome, steps: readonly StepRecord[]): string {
  const tools = [...new Set(steps.map((s) => s.tool))].slice(0, 8);
  const parts = [`${outcome.type.replace('_', ' ')}: ${ep.task}`];
  if (tools.length) parts.push(`tools: ${tools.join(', ')}`);
  if (outcome.verdict) parts.push(outcome.verdict);
  if (outcome.reason) parts.push(outcome.reason);
  return parts.join(' — ').slice(0, 2000);
}
