import { CairnError } from '../src/errors.js';
import type { RunLimits, RunRequest } from './types.js';

/** Largest script accepted, in UTF-8 bytes (100 KB). */
export const MAX_CODE_BYTES = 100 * 1024;
/** Largest `context` accepted, as JSON text in UTF-8 bytes (8 MiB). */
export const MAX_CONTEXT_BYTES = 8 * 1024 * 1024;
/** Interpreter stack (256 KiB): deeper and the worker's own V8 stack could overflow first. */
export const STACK_BYTES = 256 * 1024;
/** Captured console output kept per run (1 MiB); the rest is replaced by a marker. */
export const MAX_STDOUT_BYTES = 1024 * 1024;
/** JSON result kept per run (1 MiB); a larger one is returned as truncated JSON text with a marker. */
export const MAX_RESULT_BYTES = 1024 * 1024;

/**
 * Deepest nesting of arrays and objects a result may have (500 levels). Deeper values could
 * overflow the server's stack when it clones or serialises them; they fail with a clear error.
 */
export const MAX_RESULT_DEPTH = 500;

/** Limits of a request that names none. */
export const DEFAULT_LIMITS: RunLimits = { timeout_ms: 5_000, memory_mb: 64 };
/** Highest limits a request may ask for. */
export const MAX_LIMITS: RunLimits = { timeout_ms: 30_000, memory_mb: 256 };
/** Lowest limits: below these QuickJS cannot even build its global object reliably. */
export const MIN_LIMITS: RunLimits = { timeout_ms: 1, memory_mb: 1 };

/** A validated request, ready for a worker. */
export interface ResolvedRun {
  code: string;
  contextJson: string;
  limits: RunLimits;
}

/**
 * Checks a request against the caps and fills default limits. Throws `INVALID_INPUT` naming the
 * field, the value and what is accepted; limits are never silently clamped.
 */
export function resolveRun(req: RunRequest, defaults: RunLimits, max: RunLimits): ResolvedRun {
  if (typeof req.code !== 'string') throw invalid('code must be a string of JavaScript');
  const codeBytes = Buffer.byteLength(req.code, 'utf8');
  if (codeBytes > MAX_CODE_BYTES) {
    throw invalid(`code is ${codeBytes} bytes; at most ${MAX_CODE_BYTES} bytes (100 KB) are accepted`);
  }
  const limits: RunLimits = {
    timeout_ms: pick('timeout_ms', req.limits?.timeout_ms, defaults.timeout_ms, max.timeout_ms),
    memory_mb: pick('memory_mb', req.limits?.memory_mb, defaults.memory_mb, max.memory_mb),
  };
  let contextJson: string | undefined;
  try {
    contextJson = JSON.stringify({ task: req.context?.task ?? '', input: req.context?.input ?? null });
  } catch (err) {
    throw invalid(`context must be JSON-serialisable (${(err as Error).message})`);
  }
  const contextBytes = Buffer.byteLength(contextJson, 'utf8');
  if (contextBytes > MAX_CONTEXT_BYTES) {
    throw invalid(`context is ${contextBytes} bytes of JSON; at most ${MAX_CONTEXT_BYTES} bytes are accepted`);
  }
  return { code: req.code, contextJson, limits };
}

/** Validates the pool's own default and cap limits once, at construction. */
export function resolveLimitOptions(defaults: Partial<RunLimits> = {}, max: Partial<RunLimits> = {}): { defaults: RunLimits; max: RunLimits } {
  const caps: RunLimits = { ...MAX_LIMITS, ...max };
  const defs: RunLimits = { ...DEFAULT_LIMITS, ...defaults };
  for (const key of ['timeout_ms', 'memory_mb'] as const) {
    const value = caps[key];
    if (!Number.isInteger(value) || value < MIN_LIMITS[key] || value > MAX_LIMITS[key]) {
      throw new CairnError('CONFIG_INVALID', `sandbox max ${key} ${value} is invalid: must be an integer from ${MIN_LIMITS[key]} to ${MAX_LIMITS[key]}`);
    }
    defs[key] = Math.min(defs[key], value);
    if (!Number.isInteger(defs[key]) || defs[key] < MIN_LIMITS[key]) {
      throw new CairnError('CONFIG_INVALID', `sandbox default ${key} ${defs[key]} is invalid: must be an integer from ${MIN_LIMITS[key]} to ${value}`);
    }
  }
  return { defaults: defs, max: caps };
}

function pick(name: keyof RunLimits, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < MIN_LIMITS[name] || value > max) {
    throw invalid(`limits.${name} ${JSON.stringify(value)} is out of range: must be an integer from ${MIN_LIMITS[name]} to ${max}`);
  }
  return value;
}

function invalid(message: string): CairnError {
  return new CairnError('INVALID_INPUT', `execute_agent_code: ${message}`);
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 3 || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back up over UTF-8 continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** Deepest nesting of `[`/`{` in JSON text (brackets inside strings are ignored). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}
