import { CairnError } from '../../errors.js';
import { MEMORY_KINDS, type MemoryKind } from '../../memory/types.js';

/** A memory's editable fields as a form sends them, checked with the rules `remember` applies. */
export interface MemoryFields {
  content: string;
  kind: MemoryKind;
  tags: string[];
  importance: number;
}

/** Reads and checks the fields; a bad one is INVALID_INPUT naming it. */
export function memoryFields(form: URLSearchParams): MemoryFields {
  const content = (form.get('content') ?? '').trim();
  if (!content) throw new CairnError('INVALID_INPUT', 'content: write something to remember');
  if (content.length > 20_000) throw new CairnError('INVALID_INPUT', `content: at most 20,000 characters, got ${content.length}`);
  const kind = MEMORY_KINDS.find((k) => k === form.get('kind'));
  if (!kind) throw new CairnError('INVALID_INPUT', `kind: one of ${MEMORY_KINDS.join(', ')}`);
  const tags = [
    ...new Set(
      (form.get('tags') ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > 32 || tags.some((t) => t.length > 64))
    throw new CairnError('INVALID_INPUT', 'tags: at most 32 tags of at most 64 characters, separated by commas');
  const raw = form.get('importance');
  const importance = raw === null || raw === '' ? 0.5 : Number(raw);
  if (!(importance >= 0 && importance <= 1)) throw new CairnError('INVALID_INPUT', 'importance: a number from 0 to 1');
  return { content, kind, tags, importance };
}
