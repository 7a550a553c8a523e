/**
 * Tool input is strict: a parameter a tool does not know is an error that names it and suggests
 * the nearest accepted name (`at` → "did you mean occurred_at?"), instead of being dropped
 * silently. Applied to every tool's input schema by `defineTool`, nested objects included;
 * free-form JSON (records, `unknown`, preprocessed values) stays free-form.
 */
import { z } from 'zod';
import { editDistance as distance } from '../../src/edit-distance.js';

/** Names a caller might use for a parameter, by the parameter they most likely mean (first accepted wins). */
const SYNONYMS: Record<string, string[]> = {
  text: ['content', 'query'],
  body: ['content'],
  memory: ['content'],
  value: ['content', 'level'],
  q: ['query'],
  search: ['query'],
  question: ['query'],
  k: ['limit'],
  n: ['limit'],
  top_k: ['limit'],
  count: ['limit'],
  max_results: ['limit'],
  page_size: ['limit'],
  size: ['limit'],
  type: ['kind', 'analysis_type', 'task_type'],
  time: ['occurred_at', 'at'],
  timestamp: ['occurred_at', 'at'],
  date: ['occurred_at', 'at'],
  when: ['occurred_at', 'at'],
  id: ['episode_id', 'task_id', 'id'],
  labels: ['tags'],
  filter: ['kinds', 'tags'],
  data: ['time_series_data', 'input'],
  series: ['time_series_data'],
  script: ['code'],
  source_code: ['code'],
};

const snake = (k: string) =>
  k
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
const tokens = (k: string) => snake(k).split('_').filter(Boolean);

/** The accepted name a caller most likely meant by `key`, if any is close enough. */
export function suggestName(key: string, accepted: readonly string[]): string | undefined {
  const k = snake(key);
  const closest = (names: string[]) => names.sort((a, b) => distance(k, a) - distance(k, b) || a.localeCompare(b))[0];
  const same = accepted.find((a) => snake(a) === k || snake(a) === `${k}s` || `${snake(a)}s` === k);
  if (same) return same;
  const synonym = SYNONYMS[k]?.find((s) => accepted.includes(s));
  if (synonym) return synonym;
  const t = tokens(key);
  const sharing = accepted.filter((a) => {
    const at = tokens(a);
    return t.every((x) => at.includes(x)) || at.every((x) => t.includes(x));
  });
  if (sharing.length) return closest(sharing);
  const near = accepted.filter((a) => distance(k, a) <= Math.max(1, Math.floor(Math.min(k.length, a.length) / 3)));
  return near.length ? closest(near) : undefined;
}

/** The message for parameters an object does not accept. */
export function unknownKeysMessage(keys: readonly string[], accepted: readonly string[]): string {
  const named = keys.map((k) => {
    const s = suggestName(k, accepted);
    return s ? `"${k}" (did you mean "${s}"?)` : `"${k}"`;
  });
  const list = accepted.length ? accepted.join(', ') : 'none';
  return `unknown parameter${keys.length > 1 ? 's' : ''} ${named.join(', ')}; accepted: ${list}`;
}

type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** Re-creates a schema with a new definition, keeping its description and other metadata. */
function rebuild<T extends z.ZodType>(schema: T, def: Def): T {
  const copy = schema.clone(def as T['_zod']['def']) as T;
  const meta = z.globalRegistry.get(schema);
  if (meta) z.globalRegistry.add(copy, meta);
  return copy;
}

/**
 * A copy of `schema` in which every object (nested in optionals, nullables, defaults, arrays and
 * unions too) rejects unknown keys with {@link unknownKeysMessage}, unless it was declared loose
 * (`z.looseObject`) or strict already. Schemas without objects come back unchanged.
 */
export function strictInput<T extends z.ZodType>(schema: T): T {
  const def = schema._zod.def as Def;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const strictShape = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, strictInput(v)]));
      const accepted = Object.keys(shape);
      const own = def.error as ((issue: unknown) => unknown) | undefined;
      const error = (issue: z.core.$ZodRawIssue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, accepted) : own?.(issue));
      // An object that already says what to do with other keys (loose or strict) keeps its choice.
      if (def.catchall !== undefined) return rebuild(schema, { ...def, shape: strictShape } as Def);
      return rebuild(schema, { ...def, shape: strictShape, catchall: z.never(), error } as Def);
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional': {
      const inner = strictInput(def.innerType as z.ZodType);
      return inner === def.innerType ? schema : rebuild(schema, { ...def, innerType: inner });
    }
    case 'array': {
      const element = strictInput(def.element as z.ZodType);
      return element === def.element ? schema : rebuild(schema, { ...def, element });
    }
    case 'union': {
      const options = (def.options as z.ZodType[]).map(strictInput);
      return options.every((o, i) => o === (def.options as z.ZodType[])[i]) ? schema : rebuild(schema, { ...def, options });
    }
    default:
      return schema;
  }
}
