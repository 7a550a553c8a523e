import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { EpisodeFilter, EpisodeRepo } from '../storage/episode-repo.js';
import { reflect } from './reflection.js';
import { computeReward } from './reward.js';
import type { CompletionHook, EpisodeWithSteps, Outcome, PatternRef, Reflection, Reward, StepRecord } from './types.js';

/** Input of `start`. */
export interface StartEpisodeInput {
  task: string;
  task_type: string;
  domain: string;
  language?: string;
  framework?: string;
  tags?: string[];
  complexity?: 'simple' | 'moderate' | 'complex';
  context?: Record<string, unknown>;
  started_at?: string;
}

/** Input of `logStep`. */
export interface LogStepInput {
  episode_id: string;
  tool: string;
  action: string;
  parameters?: Record<string, unknown>;
  result?: { type: 'success' | 'error' | 'timeout'; output?: string; message?: string };
  latency_ms?: number;
  at?: string;
}

/** What `complete` returns. */
export interface Completion {
  episode_id: string;
  reward: Reward;
  reflection: Reflection;
  patterns: PatternRef[];
  summary: string;
  duration_ms: number;
  step_count: number;
}

/** The episode lifecycle: start → log steps → complete (reward, reflection, patterns). */
export interface EpisodeService {
  start(ns: string, input: StartEpisodeInput): Promise<{ episode_id: string; started_at: number }>;
  logStep(ns: string, input: LogStepInput): Promise<{ episode_id: string; step_number: number }>;
  complete(ns: string, episodeId: string, outcome: Outcome, at?: string): Promise<Completion>;
  get(ns: string, id: string): Promise<EpisodeWithSteps>;
  list(ns: string, filter: EpisodeFilter, limit: number): ReturnType<EpisodeRepo['list']>;
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
  const time = (iso: string | undefined) => (iso === undefined ? clock.now() : Date.parse(iso));

  async function mustGet(ns: string, id: string): Promise<EpisodeWithSteps> {
    const ep = await repo.get(ns, id);
    if (!ep) throw new CairnError('NOT_FOUND', `episode_id: no episode ${id} in this namespace; start one with start_episode`);
    return ep;
  }

  return {
    async start(ns, input) {
      const now = time(input.started_at);
      const id = uuidv7(now);
      await repo.create({
        id,
        namespace: ns,
        task: input.task,
        taskType: input.task_type,
        domain: input.domain,
        language: input.language ?? null,
        framework: input.framework ?? null,
        tags: input.tags ?? [],
        complexity: input.complexity ?? 'moderate',
        context: input.context ?? {},
        status: 'open',
        outcomeType: null,
        outcome: null,
        reward: null,
        rewardParts: null,
        reflection: null,
        summary: null,
        startedAt: now,
        completedAt: null,
        updatedAt: now,
      });
      return { episode_id: id, started_at: now };
    },

    async logStep(ns, input) {
      const out = await repo.appendStep(ns, input.episode_id, {
        tool: input.tool,
        action: input.action,
        parameters: input.parameters ?? {},
        result: input.result ?? null,
        latencyMs: input.latency_ms ?? null,
        at: time(input.at),
      });
      if (out === 'unknown') throw new CairnError('NOT_FOUND', `episode_id: no episode ${input.episode_id} in this namespace; start one with start_episode`);
      if (out === 'closed') throw new CairnError('EPISODE_CLOSED', `episode_id: episode ${input.episode_id} is already completed; steps can only be logged to an open episode (start a new one)`);
      return { episode_id: input.episode_id, step_number: out };
    },

    async complete(ns, episodeId, outcome, at) {
      const ep = await mustGet(ns, episodeId);
      if (ep.status !== 'open') throw new CairnError('ALREADY_COMPLETED', `episode_id: episode ${episodeId} was already completed (reward ${ep.reward}); completing twice is not allowed`);
      const completedAt = Math.max(time(at), ep.startedAt);
      const durationMs = completedAt - ep.startedAt;
      const finished: EpisodeWithSteps = { ...ep, status: 'completed', outcomeType: outcome.type, completedAt };

      const found = await Promise.all(hooks.map((h) => h.extract(finished, { outcomeType: outcome.type })));
      const patterns = found.flatMap((f) => f.patterns);
      const newCount = found.reduce((n, f) => n + f.newCount, 0);
      const reward = computeReward({ outcome, steps: ep.steps, complexity: ep.complexity, durationMs, newPatterns: newCount });
      const reflection = reflect(outcome, ep.steps, reward, durationMs);
      const summary = summarise(ep, outcome, ep.steps);

      const res = await repo.complete(
        ns,
        episodeId,
        {
          outcomeType: outcome.type,
          outcome: { ...outcome },
          reward: reward.total,
          rewardParts: { ...reward },
          reflection: { ...reflection },
          summary,
          completedAt,
        },
        async (tx) => {
          for (const f of found) await f.persist?.(tx);
        },
      );
      if (res === 'closed') throw new CairnError('ALREADY_COMPLETED', `episode_id: episode ${episodeId} was completed concurrently by another call; nothing was written`);
      if (res === 'unknown') throw new CairnError('NOT_FOUND', `episode_id: no episode ${episodeId} in this namespace`);
      return { episode_id: episodeId, reward, reflection, patterns, summary, duration_ms: durationMs, step_count: ep.steps.length };
    },

    get: mustGet,
    list: (ns, filter, limit) => repo.list(ns, filter, limit),
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
