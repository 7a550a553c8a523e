import { z } from 'zod';
import { MEMORY_KINDS } from '../src/memory/types.js';
import { defineTool } from './define-tool.js';
import { correctionHome } from './layer/scope.js';
import { epochMs, isoTime, jsonObject, tags } from './schemas/common.js';

export const remember = defineTool({
  name: 'remember',
  title: 'Remember',
  toolset: 'memory',
  description:
    'Store a memory for later sessions: decisions, preferences, facts, events. A duplicate or retry returns the existing id. ' +
    'To correct one, pass its id in supersedes (kept, hidden); possibly_supersedes lists close ones.',
  input: z.object({
    content: z.string().min(1).max(20_000),
    kind: z.enum(MEMORY_KINDS).optional().describe('Default note.'),
    tags: tags.optional(),
    importance: z.number().min(0).max(1).optional().describe('Default 0.5; raises rank.'),
    occurred_at: isoTime.optional().describe('When it happened, if not now.'),
    source: z.string().max(200).optional(),
    metadata: jsonObject.optional().describe('Extra JSON, ≤ 16 KB.'),
    supersedes: z.array(z.string().min(1).max(64)).max(20).optional().describe('Ids this memory corrects.'),
    scope: z.enum(['project', 'global']).optional().describe('project: this project only; global: every project. Default global for preferences.'),
  }),
  output: z.object({
    id: z.string(),
    deduplicated: z.boolean(),
    created_at: z.string(),
    superseded: z.array(z.string()).optional(),
    possibly_supersedes: z.array(z.object({ id: z.string(), content: z.string(), similarity: z.number() })).optional(),
    scope: z.enum(['project', 'global']),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const scope = input.scope ?? (input.kind === 'preference' ? 'global' : 'project');
    // A correction without an explicit scope lives where the memories it corrects live.
    const home = input.scope === undefined ? await correctionHome(ctx, input.supersedes) : undefined;
    const ns = home ?? (scope === 'global' ? ctx.scope.global : ctx.scope.project);
    const out = await ctx.services.memory.remember(ns, {
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
      scope: ns === ctx.scope.global ? ('global' as const) : ('project' as const),
      ...(input.supersedes ? { superseded: out.superseded } : {}),
      ...(out.possiblySupersedes.length > 0 ? { possibly_supersedes: out.possiblySupersedes } : {}),
    };
  },
});
