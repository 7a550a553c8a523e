import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import { hasPrivate, stripPrivate, stripPrivateDeep } from '../privacy/private-tags.js';
import type { MemoryQuery, SearchEngine, SearchHit } from '../search/index.js';
import type { MemoryLifecycleRepo } from '../storage/memory-lifecycle-repo.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import type { AccessLog } from './access-log.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { supersedeHints } from './supersede-hints.js';
import { contentHash, normaliseContent, textKeyHash } from './text.js';
import type { BrowseFilter, BrowsePage, MemoryActor, MemoryHistory, MemoryKind, MemoryRecord, NewMemory, SupersedeCandidate } from './types.js';

/** Input of `remember`. */
export interface RememberInput {
  content: string;
  /** Default `note`. */
  kind?: MemoryKind;
  tags?: string[];
  /** 0..1, default 0.5. */
  importance?: number;
  /** When the remembered thing happened or happens (epoch ms); any time, future events included. */
  occurredAt?: number;
  source?: string;
  metadata?: Record<string, unknown>;
  /** Ids of memories this one corrects: they are kept, hidden from default queries and linked to it. */
  supersedes?: string[];
}

/** What `remember` did. */
export interface RememberResult {
  id: string;
  /** True when an identical memory (or the same text sent again within the retry window) existed. */
  deduplicated: boolean;
  createdAt: number;
  /** Ids now superseded by `id`. */
  superseded: string[];
  /** Visible facts or preferences this one may correct; the caller decides (pass them in `supersedes`). */
  possiblySupersedes: SupersedeCandidate[];
}

/**
 * Memories: remember (with duplicate and retry detection, and supersession), forget/restore (soft,
 * audited), query, browse and history. `actor` says who acts (default `client`).
 */
export interface MemoryService {
  remember(ns: string, input: RememberInput, actor?: MemoryActor): Promise<RememberResult>;
  forget(ns: string, id: string, reason?: string, actor?: MemoryActor): Promise<{ id: string; forgotten: true }>;
  /** Makes a forgotten, superseded or merged memory visible again. */
  restore(ns: string, id: string, actor?: MemoryActor): Promise<{ id: string; restored: true; was: 'forgotten' | 'superseded' | 'merged' }>;
  query(ns: string, q: MemoryQuery): Promise<{ hits: SearchHit[]; engine: string }>;
  /** Memories newest first, `limit` at a time; pass `nextCursor` back for the next page. */
  browse(ns: string, filter: BrowseFilter, page: { limit: number; cursor?: string }): Promise<BrowsePage>;
  /** A memory in any state, with its links and audit trail. */
  history(ns: string, id: string): Promise<MemoryHistory>;
  get(ns: string, id: string): Promise<MemoryRecord>;
}

/** Dependencies of the memory service. */
export interface MemoryServiceDeps {
  repo: MemoryRepo;
  lifecycle: MemoryLifecycleRepo;
  /** Answers `query`; told about each committed remember/restore when it has `indexWrite`. */
  engine: SearchEngine;
  clock: Clock;
  /** Embeds texts in the active vector space, for `possiblySupersedes`. Absent: no hints. */
  embed?: (texts: string[]) => Promise<Float32Array[]>;
  /** Where returned memories are counted (for decay). Absent: uses are not counted. */
  access?: AccessLog;
  /** Same kind and text within this many ms (and occurred_at as close) is a client retry. Default 30 000. */
  retryWindowMs?: number;
  /** Cosine a possible supersession needs. Default 0.5. */
  hintSimilarity?: number;
}

const MAX_SUPERSEDES = 20;

/** Creates the memory service. */
export function createMemoryService(deps: MemoryServiceDeps): MemoryService {
  const { engine } = deps;
  const retryWindow = deps.retryWindowMs ?? 30_000;

  async function get(ns: string, id: string): Promise<MemoryRecord> {
    const rec = await deps.repo.get(ns, id);
    if (!rec) throw new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace`);
    return rec;
  }

  return {
    async remember(ns, input, actor = 'client') {
      // Text inside <private>…</private> is never stored, whoever sends it.
      const content = normaliseContent(stripPrivate(input.content));
      if (!content)
        throw new CairnError(
          'INVALID_INPUT',
          hasPrivate(input.content) ? 'content: all of it is inside <private>…</private>; nothing was stored' : 'content: must contain some non-space text',
        );
      const now = deps.clock.now();
      const kind = input.kind ?? 'note';
      const occurredAt = input.occurredAt ?? null;
      if (occurredAt !== null && !Number.isFinite(occurredAt))
        throw new CairnError('INVALID_INPUT', 'occurred_at: not a valid time; use ISO-8601 such as 2026-01-05T09:30:00Z');
      const supersedes = [...new Set(input.supersedes ?? [])];
      if (supersedes.length > MAX_SUPERSEDES) throw new CairnError('INVALID_INPUT', `supersedes: at most ${MAX_SUPERSEDES} ids, got ${supersedes.length}`);
      const rec: NewMemory = {
        id: uuidv7(now),
        namespace: ns,
        content,
        kind,
        tags: [...new Set((input.tags ?? []).map((t) => (hasPrivate(t) ? stripPrivate(t).trim() : t)).filter(Boolean))],
        importance: input.importance ?? 0.5,
        occurredAt,
        source: input.source === undefined ? null : stripPrivate(input.source),
        metadata: stripPrivateDeep(input.metadata ?? {}),
        contentHash: contentHash(content, kind, occurredAt),
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletedReason: null,
      };
      const out = await deps.repo.insert(rec, {
        textKey: textKeyHash(content),
        retryAfter: now - retryWindow,
        retryTimeMs: retryWindow,
        supersedes,
        checkSupersedes: checkTargets,
        actor,
      });
      if (!out.deduplicated) await engine.indexWrite?.(ns, [{ ...rec, supersededBy: null, mergedInto: null, decay: 1, accessCount: 0, lastAccessedAt: null }]);
      const possiblySupersedes =
        deps.embed && !out.deduplicated
          ? await supersedeHints(deps.repo, deps.embed, ns, { id: out.id, kind, content }, new Set(supersedes), { similarity: deps.hintSimilarity ?? 0.5 })
          : [];
      return { id: out.id, deduplicated: out.deduplicated, createdAt: now, superseded: out.superseded, possiblySupersedes };
    },

    async forget(ns, id, reason, actor = 'client') {
      if (await deps.lifecycle.forget(ns, id, deps.clock.now(), reason ?? null, actor)) return { id, forgotten: true };
      await get(ns, id).catch((err: unknown) => {
        throw err instanceof CairnError && err.code === 'NOT_FOUND'
          ? new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace; nothing was forgotten`)
          : err;
      });
      throw new CairnError('CONFLICT', `id: memory ${id} is already forgotten; pass restore: true to bring it back`);
    },

    async restore(ns, id, actor = 'client') {
      const out = await deps.lifecycle.restore(ns, id, deps.clock.now(), actor);
      if (out.status === 'restored') {
        await engine.indexWrite?.(ns, [await get(ns, id)]);
        return { id, restored: true, was: out.was };
      }
      if (out.status === 'missing') throw new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace; nothing was restored`);
      if (out.status === 'conflict') throw new CairnError('CONFLICT', `id: an identical live memory exists, so ${id} stays hidden`);
      throw new CairnError('CONFLICT', `id: memory ${id} is not forgotten, superseded or merged; nothing to restore`);
    },

    async query(ns, q) {
      const hits = await engine.search(ns, q, deps.clock.now());
      const used = hits.filter((h) => h.type === 'memory').map((h) => h.id);
      if (used.length > 0) deps.access?.record(ns, used, deps.clock.now());
      return { hits, engine: engine.name };
    },

    async browse(ns, filter, page) {
      const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
      const rows = await deps.repo.browse(ns, filter, page.limit + 1, after);
      const memories = rows.slice(0, page.limit);
      const last = memories.at(-1);
      return { memories, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
    },

    async history(ns, id) {
      const links = await deps.lifecycle.links(ns, id);
      if (!links) throw new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace`);
      const m = links.memory;
      const status = m.deletedAt !== null ? 'forgotten' : m.mergedInto !== null ? 'merged' : m.supersededBy !== null ? 'superseded' : 'live';
      return { ...links, status };
    },
    get,
  };
}

/** The rules for `supersedes`, checked in the write's transaction against the id the memory got. */
function checkTargets(id: string, targets: ReadonlyArray<{ id: string; memory: MemoryRecord | null }>): void {
  for (const { id: wanted, memory: t } of targets) {
    if (!t) throw new CairnError('NOT_FOUND', `supersedes: no memory ${wanted} in this namespace; nothing was stored`);
    if (t.id === id)
      throw new CairnError('INVALID_INPUT', `supersedes: ${id} is the memory being remembered (the same content is already stored); nothing was stored`);
    if (t.deletedAt !== null) throw new CairnError('CONFLICT', `supersedes: memory ${t.id} is forgotten; restore it first or leave it out; nothing was stored`);
    if (t.mergedInto !== null)
      throw new CairnError('CONFLICT', `supersedes: memory ${t.id} was merged into ${t.mergedInto}; pass ${t.mergedInto} instead; nothing was stored`);
    if (t.supersededBy !== null && t.supersededBy !== id)
      throw new CairnError(
        'CONFLICT',
        `supersedes: memory ${t.id} is already superseded by ${t.supersededBy}; pass ${t.supersededBy} instead; nothing was stored`,
      );
  }
}
