import { z } from 'zod';
import { MEMORY_KINDS } from '../src/memory/types.js';
import { epochMs, isoTime, jsonObject, tags } from './schemas/common.js';
import { defineTool } from './define-tool.js';

export const remember = defineTool({
  name: 'remember',
  title: 'Remember',
  toolset: 'memory',
  description:
    'Store a durable memory (a note, fact, preference, observation or event) for this user/agent so it can be found later with query_memory. ' +
    'Use it for anything worth knowing in a future session: decisions, preferences, facts learned, what happened when. ' +
    'Exact duplicates (same text, kind and occurred_at) are not stored twice: the existing id comes back with deduplicated=true.',
  input: z.object({
    content: z.string().min(1).max(20_000).describe('The text to remember, self-contained (≤ 20,000 characters).'),
    kind: z.enum(MEMORY_KINDS).optional().describe('note (default) | fact | preference | observation | event.'),
    tags: tags.optional().describe('Short labels for filtering, e.g. ["project:cairn", "health"].'),
    importance: z.number().min(0).max(1).optional().describe('0..1, default 0.5; raises rank in query_memory.'),
    occurred_at: isoTime.optional().describe('When the remembered thing happened (ISO-8601), if not now.'),
    source: z.string().max(200).optional().describe('Where it came from, e.g. a URL, file or conversation id.'),
    metadata: jsonObject.optional().describe('Any extra JSON (≤ 16 KB, nested ≤ 32 levels).'),
  }),
  output: z.object({
    id: z.string(),
    deduplicated: z.boolean().describe('True when an identical memory already existed; its id is returned.'),
    created_at: z.string(),
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
    });
    return { id: out.id, deduplicated: out.deduplicated, created_at: new Date(out.createdAt).toISOString() };
  },
});
