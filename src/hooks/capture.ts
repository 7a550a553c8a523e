import { createHash } from 'node:crypto';
import { SESSION_SUMMARY_TAG } from '../context/service.js';
import type { EpisodeService } from '../episodes/service.js';
import { isCairnError } from '../errors.js';
import type { MemoryService } from '../memory/service.js';
import { inferOutcome } from './outcome.js';
import type { ToolStep } from './steps.js';
import { summariseSession } from './summary.js';

/** A Claude Code session as the capture sees it. */
export interface SessionRef {
  /** Claude Code's `session_id`. */
  id: string;
  /** The user's latest request in the session, cleaned; null when not known. */
  task: string | null;
  /** Project label for the episode's domain and the summary; null without a project. */
  project: string | null;
  cwd: string;
}

/** What finishing a stretch of a session wrote. */
export interface Finished {
  episodeId: string;
  outcome: string;
  reward: number;
  summaryId: string;
}

/** Turns a session's tool uses into an episode and, when a stretch of it ends, a summary memory. */
export interface SessionCapture {
  /** Appends a step to the session's open episode in `ns`, starting one (with the session's request as its task) when there is none. */
  recordStep(ns: string, session: SessionRef, step: ToolStep): Promise<{ episodeId: string; stepNumber: number }>;
  /**
   * Completes the session's open episode in `ns` with the outcome its steps show (pattern
   * extraction runs with it) and stores a rule-based summary memory. Null when nothing is open.
   */
  finish(ns: string, session: SessionRef, options?: { lastReply?: string }): Promise<Finished | null>;
}

/** Dependencies of the capture. */
export interface CaptureDeps {
  episodes: EpisodeService;
  memory: Pick<MemoryService, 'remember'>;
}

/** Task type of the episodes the hooks record. */
export const SESSION_TASK_TYPE = 'claude-code';

/** Tag that ties an episode to its Claude Code session (hashed when the id is long). */
export function sessionTag(sessionId: string): string {
  return `claude-session:${sessionId.length <= 48 ? sessionId : createHash('sha256').update(sessionId).digest('hex').slice(0, 32)}`;
}

/** Creates the session capture. */
export function createSessionCapture(deps: CaptureDeps): SessionCapture {
  const openEpisode = async (ns: string, session: SessionRef) =>
    (await deps.episodes.list(ns, { status: 'open', tags: [sessionTag(session.id)] }, 1))[0] ?? null;
  const start = async (ns: string, session: SessionRef) =>
    (
      await deps.episodes.start(ns, {
        task: session.task ?? `Claude Code session ${session.id.slice(0, 8)}`,
        taskType: SESSION_TASK_TYPE,
        domain: session.project ?? 'general',
        tags: ['claude-code', sessionTag(session.id)],
        context: { session_id: session.id, cwd: session.cwd, recorded_by: 'cairn hook' },
      })
    ).episodeId;

  return {
    async recordStep(ns, session, step) {
      const log = (episodeId: string) =>
        deps.episodes.logStep(ns, {
          episodeId,
          tool: step.tool,
          action: step.action,
          parameters: step.parameters,
          result: step.result,
          ...(step.latencyMs === undefined ? {} : { latencyMs: step.latencyMs }),
        });
      const open = await openEpisode(ns, session);
      try {
        return await log(open?.id ?? (await start(ns, session)));
      } catch (err) {
        // Completed between the lookup and the step (another process finished the session): start the next stretch.
        if (!isCairnError(err, 'EPISODE_CLOSED')) throw err;
        return log(await start(ns, session));
      }
    },

    async finish(ns, session, options = {}) {
      const open = await openEpisode(ns, session);
      if (!open) return null;
      const episode = await deps.episodes.get(ns, open.id);
      const outcome = inferOutcome(episode.steps);
      let done: Awaited<ReturnType<EpisodeService['complete']>>;
      try {
        done = await deps.episodes.complete(ns, open.id, outcome);
      } catch (err) {
        if (isCairnError(err, 'ALREADY_COMPLETED')) return null;
        throw err;
      }
      const summary = summariseSession({
        project: session.project,
        task: episode.task,
        steps: episode.steps,
        outcome,
        startedAt: episode.startedAt,
        completedAt: episode.startedAt + done.durationMs,
        ...(options.lastReply ? { lastReply: options.lastReply } : {}),
      });
      const memory = await deps.memory.remember(ns, {
        content: summary,
        kind: 'event',
        tags: [SESSION_SUMMARY_TAG, 'claude-code'],
        importance: 0.4,
        source: `claude-code:${session.id}`.slice(0, 200),
        metadata: { episode_id: open.id, session_id: session.id, outcome: outcome.type, steps: episode.steps.length, reward: done.reward.total },
      });
      return { episodeId: open.id, outcome: outcome.type, reward: done.reward.total, summaryId: memory.id };
    },
  };
}
