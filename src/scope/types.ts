/** The namespaces one session works in: its project's, and the global one shared by every project. */
export interface NamespaceScope {
  /** Where the project's data goes: memories by default, episodes, learned patterns. Equal to `global` when the session has no project. */
  project: string;
  /** Facts about the user, shared by every project: preferences, tasks, energy, focus, check-ins. */
  global: string;
}

/** A scope of one namespace (HTTP tokens, `CAIRN_PROJECT=off`, sessions without a project). */
export function singleScope(ns: string): NamespaceScope {
  return { project: ns, global: ns };
}

/** The namespaces a query reads, the project's first; one when the session has no project. */
export function readNamespaces(scope: NamespaceScope): string[] {
  return scope.project === scope.global ? [scope.project] : [scope.project, scope.global];
}
