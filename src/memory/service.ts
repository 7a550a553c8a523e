import type { Clock } from '../clock.js';
import { CairnError } from '../errors.js';
import { uuidv7 } from '../ids.js';
import type { MemoryQuery, SearchEngine, SearchHit } from '../search/index.js';
import type { MemoryRepo } from '../storage/memory-repo.js';
import { contentHash, normaliseContent } from './text.js';
import type { MemoryKind, MemoryRecord } from './types.js';

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
}

/** Memories: remember (with exact-duplicate detection), forget/restore (soft), query. */
export interface MemoryService {
  remember(ns: string, input: RememberInput): Promise<{ id: string; deduplicated: boolean; createdAt: number }>;
  forget(ns: string, id: string, reason?: string): Promise<{ id: string; forgotten: true }>;
  restore(ns: string, id: string): Promise<{ id: string; restored: true }>;
  query(ns: string, q: MemoryQuery): Promise<{ hits: SearchHit[]; engine: string }>;
  get(ns: string, id: string): Promise<MemoryRecord>;
}

/** Dependencies of the memory service. */
export interface MemoryServiceDeps {
  repo: MemoryRepo;
  /** Answers `query`; told about each committed remember/restore when it has `indexWrite`. */
  engine: SearchEngine;
  clock: Clock;
}

/** Creates the memory service. */
export function createMemoryService(deps: MemoryServiceDeps): MemoryService {
  const { engine } = deps;

  async function get(ns: string, id: string): Promise<MemoryRecord> {
    const rec = await deps.repo.get(ns, id);
    if (!rec) throw new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace`);
    return rec;
  }

  return {
    async remember(ns, input) {
      const content = normaliseContent(input.content);
      if (!content) throw new CairnError('INVALID_INPUT', 'content: must contain some non-space text');
      const now = deps.clock.now();
      const kind = input.kind ?? 'note';
      const occurredAt = input.occurredAt ?? null;
      if (occurredAt !== null && !Number.isFinite(occurredAt)) throw new CairnError('INVALID_INPUT', 'occurred_at: not a valid time; use ISO-8601 such as 2026-01-05T09:30:00Z');
      const rec: MemoryRecord = {
        id: uuidv7(now),
        namespace: ns,
        content,
        kind,
        tags: [...new Set(input.tags ?? [])],
        importance: input.importance ?? 0.5,
        occurredAt,
        source: input.source ?? null,
        metadata: input.metadata ?? {},
        contentHash: contentHash(content, kind, occurredAt),
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletedReason: null,
      };
      const out = await deps.repo.insert(rec);
      if (!out.deduplicated) await engine.indexWrite?.(ns, [rec]);
      return { ...out, createdAt: now };
    },

    async forget(ns, id, reason) {
      if (await deps.repo.softDelete(ns, id, deps.clock.now(), reason ?? null)) {
        return { id, forgotten: true };
      }
      const rec = await deps.repo.get(ns, id);
      if (!rec) throw new CairnError('NOT_FOUND', `id: no memory ${id} in this namespace; nothing was forgotten`);
      throw new CairnError('CONFLICT', `id: memory ${id} is already forgotten; pass restore: true to bring it back`);
    },

    async restore(ns, id) {
      const out = await deps.repo.restore(ns, id, deps.clock.now());
      if (out === 'restored') {
        await engine.indexWrite?.(ns, [await get(ns, id)]);
        return { id, restored: true };
      }
      if (out === 'conflict') throw new CairnError('CONFLICT', `id: an identical live memory exists, so ${id} stays forgotten`);
      await get(ns, id);
      throw new CairnError('CONFLICT', `id: memory ${id} is not forgotten; nothing to restore`);
    },

    async query(ns, q) {
      return { hits: await engine.search(ns, q, deps.clock.now()), engine: engine.name };
    },
    get,
  };
}
