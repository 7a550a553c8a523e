import type { StepRecord } from '../../episodes/types.js';

/** Error categories, checked in order; the first rule whose pattern matches the step's message wins. */
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ['timeout', /\btime[ds]?[ -]?out\b|timeout|ETIMEDOUT|deadline exceeded/i],
  ['rate_limited', /rate[ -]?limit|too many requests|\b429\b/i],
  ['network', /ECONNREFUSED|ECONNRESET|EAI_AGAIN|ENOTFOUND|network|socket hang up|connection (refused|reset)|\bdns\b/i],
  ['permission', /EACCES|EPERM|permission denied|forbidden|unauthori[sz]ed|access denied|\b40[13]\b/i],
  ['dependency', /cannot find module|module not found|no module named|unresolved import|missing dependency|could not resolve/i],
  ['syntax_error', /syntax ?error|unexpected token|parse error|unexpected end of/i],
  ['type_error', /type ?error|is not assignable|\bTS\d{4}\b|mismatched types|type mismatch/i],
  ['test_failure', /assert|expected .+ (to|but|got)|tests? failed|failing tests?|\b\d+ (tests? )?failed\b/i],
  ['build_error', /compil(e|ation) (error|failed)|build failed|linker error|make: \*\*\*/i],
  ['not_found', /ENOENT|not found|no such file|does not exist|\b404\b/i],
  ['resource_exhausted', /out of memory|\bOOM\b|heap|ENOSPC|no space left|disk full/i],
  ['conflict', /conflict|\b409\b|already exists|EEXIST/i],
];

/**
 * A coarse, stable error category for a failed step: `timeout` for timeouts, otherwise the
 * first matching rule over the message (and output), else `error`. Categories keep recovery
 * patterns comparable across episodes whose messages differ in detail.
 */
export function classifyError(step: StepRecord): string {
  if (step.result?.type === 'timeout') return 'timeout';
  const text = `${step.result?.message ?? ''}\n${(step.result?.output ?? '').slice(0, 2000)}`;
  for (const [name, re] of RULES) if (re.test(text)) return name;
  return 'error';
}
