import { z } from 'zod';
import { MEMORY_KINDS } from '../src/memory/types.js';
import { epochMs, isoTime, jsonObject, tags } from './schemas/common.js';
import { defineTool } from './define-tool.js';

export const remember = defineTool({
  name: 'remember',
  title: 'Remember',
  toolset: 'memory',
  description:
    'Store a memory for later sessions: decisions, preferences, facts, events. An exact duplicate or a retry returns the existing id. ' +
    'To correct a memory pass its id in supersedes (the old one is hidden, kept); possibly_supersedes lists close ones you may mean.',
  input: z.object({
    content: z.string().min(1).max(20_000),
    kind: z.enum(MEMORY_KINDS).optional().describe('Default note.'),
    tags: tags.optional(),
    importance: z.number().min(0).max(1).optional().describe('Default 0.5; raises rank.'),
    occurred_at: isoTime.optional().describe('When it happened, if not now.'),
    source: z.string().max(200).optional(),
    metadata: jsonObject.optional().describe('Extra JSON, ≤ 16 KB.'),
    supersedes: z.array(z.string().min(1).max(64)).max(20).optional().describe('Ids this memory corrects.'),
  }),
  output: z.object({
    id: z.string(),
    deduplicated: z.boolean(),
    created_at: z.string(),
    superseded: z.array(z.string()).optional(),
    possibly_supersedes: z.array(z.object({ id: z.string(), content: z.string(), similarity: z.number() })).optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const out = await ctx.services.memory.remember(ctx.namespace, {
      content: input.content,
      kind: input.kind,
      tags: input.tags,
      importance: input.importance,
      occurredAt: epochMs(input.occurred_at),
      source: input.source,
      metadata: input.metadata,
      supersedes: input.supersedes,
    });
    return {
      id: out.id,
      deduplicated: out.deduplicated,
      created_at: new Date(out.createdAt).toISOString(),
      ...(input.supersedes ? { superseded: out.superseded } : {}),
      ...(out.possiblySupersedes.length > 0 ? { possibly_supersedes: out.possiblySupersedes } : {}),
    };
  },
});
