import type { z } from 'zod';

/**
 * A zod error map in plain words, for problems whose schema gives no message of its own (pass it
 * as `safeParse(value, { error: plainIssue })`; schema messages still win). zod's own texts speak
 * of types ("expected number, received NaN"); these say what is accepted: "must be a whole number
 * from 0 to 65535", "must be one of debug, info, …", "must be at most 64 characters".
 */
export function plainIssue(issue: z.core.$ZodRawIssue): string {
  const schema = issue.schema as { minValue?: number | null; maxValue?: number | null; isInt?: boolean } | undefined;
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return 'is not in the accepted format';
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'string')
        return issue.code === 'too_small' ? `must be at least ${issue.minimum} characters` : `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return issue.code === 'too_small' ? `must have at least ${issue.minimum} items` : `must have at most ${issue.maximum} items`;
      break;
    case 'invalid_type':
      if (issue.expected === 'string') return 'must be text';
      if (issue.expected === 'array') return 'must be a list';
      if (issue.expected === 'object' || issue.expected === 'record') return 'must be an object';
      if (issue.expected === 'boolean') return 'must be true or false';
      break;
    case 'unrecognized_keys':
      return `has unknown fields ${issue.keys.join(', ')}`;
  }
  if (schema && ('minValue' in schema || 'maxValue' in schema)) return numberRange(schema);
  return 'is not an accepted value';
}

function numberRange(schema: { minValue?: number | null; maxValue?: number | null; isInt?: boolean }): string {
  const min = typeof schema.minValue === 'number' && schema.minValue > Number.MIN_SAFE_INTEGER ? schema.minValue : null;
  const max = typeof schema.maxValue === 'number' && schema.maxValue < Number.MAX_SAFE_INTEGER ? schema.maxValue : null;
  const what = schema.isInt ? 'a whole number' : 'a number';
  if (min !== null && max !== null) return `must be ${what} from ${min} to ${max}`;
  if (min !== null) return `must be ${what} of at least ${min}`;
  if (max !== null) return `must be ${what} of at most ${max}`;
  return `must be ${what}`;
}
