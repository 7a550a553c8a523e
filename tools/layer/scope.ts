import { isCairnError } from '../../src/errors.js';
import type { ToolContext } from '../define-tool.js';

/**
 * Runs `f` on the tool's namespace and, when what it names is NOT_FOUND there, on the session's
 * global namespace: an id from query_memory may belong to either (memories and episodes written
 * before the session had a project stay in the global one).
 */
export async function inEitherNamespace<T>(ctx: ToolContext, f: (ns: string) => Promise<T>): Promise<T> {
  try {
    return await f(ctx.namespace);
  } catch (err) {
    if (ctx.scope.global === ctx.namespace || !isCairnError(err, 'NOT_FOUND')) throw err;
    return f(ctx.scope.global);
  }
}

/**
 * Where a correction belongs when the caller did not say: the global namespace when every memory
 * it supersedes lives there (a fact recorded before the session had a project), else undefined.
 */
export async function correctionHome(ctx: ToolContext, supersedes: readonly string[] | undefined): Promise<string | undefined> {
  const { project, global } = ctx.scope;
  if (!supersedes?.length || project === global) return undefined;
  for (const id of supersedes) {
    const inProject = await ctx.services.memory.get(project, id).then(
      () => true,
      (err: unknown) => (isCairnError(err, 'NOT_FOUND') ? false : Promise.reject(err)),
    );
    if (inProject) return undefined;
  }
  return global;
}
