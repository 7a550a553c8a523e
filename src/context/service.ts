import { openEpisodeView } from '../adhd/recover-service.js';
import type { AdhdService, RecoveredContext } from '../adhd/types.js';
import type { Clock } from '../clock.js';
import type { MemoryService } from '../memory/service.js';
import type { MemoryRecord } from '../memory/types.js';
import { stripPrivate } from '../privacy/private-tags.js';
import { type NamespaceScope, readNamespaces } from '../scope/types.js';
import type { ContextRepo } from '../storage/context-repo.js';
import type { EpisodeRepo } from '../storage/episode-repo.js';
import { renderPack } from './pack.js';
import { renderPromptContext } from './prompt.js';
import { RELEVANCE_FLOOR, relevance, topicTerms } from './relevance.js';
import { oneLine } from './tokens.js';
import type { ContextPack, PackInput, PackMemory, PromptContext } from './types.js';

/** Tag of the rule-based session summaries the Claude Code hooks store. */
export const SESSION_SUMMARY_TAG = 'session-summary';
/** Tag that files a memory under "Decisions and facts" in a pack. */
export const DECISION_TAG = 'decision';

/** Options of a session pack. */
export interface SessionPackOptions {
  /** Token budget of the whole pack (bytes ÷ 4). */
  maxTokens: number;
  /** Include tasks, focus, energy and check-ins (the ADHD toolset is on). */
  adhd: boolean;
  /** Name shown for the project; default the project namespace without its global prefix and hash. */
  projectName?: string;
}

/** Budgeted context for a session: a pack when it starts, the few relevant memories for each prompt. */
export interface ContextService {
  /** What the user is working on, the last sessions, preferences, decisions, energy and check-ins, within `maxTokens`. */
  sessionPack(scope: NamespaceScope, options: SessionPackOptions): Promise<ContextPack>;
  /**
   * Memories of the project and the global namespace relevant to `prompt` (at least the relevance
   * floor), within `maxTokens`; null when nothing is relevant or the budget is 0. Private spans of
   * the prompt are removed before it is searched.
   */
  promptContext(scope: NamespaceScope, prompt: string, options: { maxTokens: number }): Promise<PromptContext | null>;
  /**
   * "Where was I?" over the session's namespaces: the person's focus, tasks, energy and check-ins
   * from the global namespace, open episodes and recent memories from the project's and the global
   * one together.
   */
  recover(scope: NamespaceScope): Promise<RecoveredContext>;
}

/** Dependencies of the context service. */
export interface ContextServiceDeps {
  memory: Pick<MemoryService, 'query'>;
  memories: ContextRepo;
  episodes: Pick<EpisodeRepo, 'list' | 'lastSteps'>;
  adhd: Pick<AdhdService, 'recoverContext'>;
  clock: Clock;
  /** IANA zone times are shown in. */
  timeZone: string;
}

/** Creates the context service. */
export function createContextService(deps: ContextServiceDeps): ContextService {
  return {
    async sessionPack(scope, options) {
      const namespaces = readNamespaces(scope);
      const [recovered, episodes, sessions, preferences, facts, decided, notes] = await Promise.all([
        options.adhd ? deps.adhd.recoverContext(scope.global) : Promise.resolve(null),
        openEpisodes(deps, namespaces),
        deps.memories.latest([scope.project], { kinds: ['event'], tags: [SESSION_SUMMARY_TAG] }, 3),
        deps.memories.latest(namespaces, { kinds: ['preference'], order: 'important' }, 8),
        deps.memories.latest(namespaces, { kinds: ['fact'] }, 8),
        deps.memories.latest(namespaces, { tags: [DECISION_TAG] }, 8),
        deps.memories.latest(namespaces, { kinds: ['note', 'observation', 'event'], withoutTag: SESSION_SUMMARY_TAG }, 8),
      ]);
      // Memories tagged as decisions come before plain facts; each group newest first.
      const decisionIds = new Set<string>();
      const decisions = [...decided, ...facts].filter((m) => !decisionIds.has(m.id) && decisionIds.add(m.id)).slice(0, 8);
      const now = deps.clock.now();
      const pack = (m: MemoryRecord): PackMemory => ({
        id: m.id,
        content: m.content,
        kind: m.kind,
        createdAt: m.createdAt,
        global: m.namespace !== scope.project,
      });
      const newest = Math.max(0, ...[...sessions, ...notes, ...decisions].map((m) => m.createdAt), ...episodes.map((e) => e.startedAt));
      const input: PackInput = {
        now,
        timeZone: deps.timeZone,
        project: scope.project === scope.global ? null : { name: options.projectName ?? projectLabel(scope), namespace: scope.project },
        focus: recovered?.focus
          ? { label: recovered.focus.session.topic ?? 'focus session', minutes: recovered.focus.minutes, active: recovered.focus.active }
          : null,
        minutesAway: recovered ? recovered.minutesAway : newest > 0 ? Math.max(0, Math.round((now - newest) / 60_000)) : null,
        tasks: (recovered?.openTasks ?? []).map(taskLine),
        episodes,
        sessions: sessions.map(pack),
        preferences: preferences.map(pack),
        decisions: decisions.map(pack),
        notes: notes.filter((m) => !decisionIds.has(m.id)).map(pack),
        energy: recovered?.energy ? { level: recovered.energy.level, attention: recovered.energy.attention, at: recovered.energy.at } : null,
        checkIns: (recovered?.checkIns ?? []).map((c) => ({ id: c.id, message: c.message })),
        // With nothing open the suggestion is only an invitation to plan; it is left out.
        suggestion:
          recovered && (recovered.focus || recovered.openTasks.length || recovered.energy || recovered.checkIns.length) ? recovered.suggestedNextAction : null,
      };
      return renderPack(input, options.maxTokens);
    },

    async recover(scope) {
      const c = await deps.adhd.recoverContext(scope.global);
      if (scope.project === scope.global) return c;
      const namespaces = readNamespaces(scope);
      const [recent, count, lists] = await Promise.all([
        deps.memories.latest(namespaces, {}, RECOVER.memories),
        deps.memories.count(namespaces),
        Promise.all(namespaces.map(async (ns) => (await deps.episodes.list(ns, { status: 'open' }, RECOVER.episodes)).map((e) => ({ e, ns })))),
      ]);
      const open = lists
        .flat()
        .sort((a, b) => b.e.startedAt - a.e.startedAt)
        .slice(0, RECOVER.episodes);
      const openEpisodes = await Promise.all(open.map(({ e, ns }) => openEpisodeView(deps.episodes, ns, e, RECOVER.steps)));
      const recentMemories = recent.map((m) => ({
        id: m.id,
        content: m.content.length > RECOVER.preview ? `${m.content.slice(0, RECOVER.preview - 1)}…` : m.content,
        kind: m.kind,
        createdAt: m.createdAt,
      }));
      return { ...c, openEpisodes, recentMemories, memoryCount: count };
    },

    async promptContext(scope, prompt, options) {
      if (options.maxTokens <= 0) return null;
      const text = oneLine(stripPrivate(prompt)).slice(0, 2000);
      const terms = topicTerms(text);
      if (terms.size === 0) return null;
      const [project, ...also] = readNamespaces(scope);
      const { hits } = await deps.memory.query(project!, { query: text, scope: ['memories'], limit: 8, alsoIn: also });
      const relevant = hits
        .map((h, rank) => ({ h, rank, relevance: relevance(terms, h) }))
        .filter((x) => x.relevance >= RELEVANCE_FLOOR)
        .sort((a, b) => b.relevance - a.relevance || a.rank - b.rank);
      return renderPromptContext(
        relevant.map(({ h, relevance }) => ({
          id: h.id,
          namespace: h.namespace ?? project!,
          text: h.text,
          kind: h.kind ?? 'note',
          occurredAt: h.occurredAt,
          relevance,
          global: h.namespace !== undefined && h.namespace !== scope.project,
        })),
        options.maxTokens,
      );
    },
  };
}

/** How much of each memory `recover` shows, and how many it lists. */
const RECOVER = { preview: 280, memories: 5, episodes: 5, steps: 3 } as const;

/** Open episodes of the namespaces, newest first, each with its last step. */
async function openEpisodes(deps: ContextServiceDeps, namespaces: readonly string[]): Promise<PackInput['episodes']> {
  const lists = await Promise.all(namespaces.map(async (ns) => (await deps.episodes.list(ns, { status: 'open' }, 5)).map((e) => ({ e, ns }))));
  const open = lists
    .flat()
    .sort((a, b) => b.e.startedAt - a.e.startedAt)
    .slice(0, 5);
  return Promise.all(
    open.map(async ({ e, ns }) => {
      const [last] = await deps.episodes.lastSteps(ns, e.id, 1);
      return {
        id: e.id,
        task: e.task,
        startedAt: e.startedAt,
        last: last ? { tool: last.tool, action: last.action, result: last.result?.type ?? null } : null,
      };
    }),
  );
}

function taskLine(t: RecoveredContext['openTasks'][number]): PackInput['tasks'][number] {
  return {
    id: t.task.id,
    title: t.task.title,
    next: t.nextStep ? { title: t.nextStep.title, minutes: t.nextStep.realisticMinutes } : null,
    done: t.done,
    total: t.total,
  };
}

/** `default.cairn-1a2b3c4d` → `cairn`; a named project keeps its name. */
function projectLabel(scope: NamespaceScope): string {
  const tail = scope.project.startsWith(`${scope.global}.`) ? scope.project.slice(scope.global.length + 1) : scope.project;
  return tail.replace(/-[0-9a-f]{8}$/, '');
}
