/** Vocabulary of context packs: what a session is told about itself when it starts or asks. */

/** A memory as a pack shows it. */
export interface PackMemory {
  id: string;
  content: string;
  kind: string;
  createdAt: number;
  /** True when it lives in the global namespace (about the user, every project). */
  global: boolean;
}

/** Everything a session pack may show; the renderer picks what fits. */
export interface PackInput {
  now: number;
  /** IANA zone times are shown in. */
  timeZone: string;
  /** The project the session works in, or null for the global namespace alone. */
  project: { name: string; namespace: string } | null;
  focus: { label: string; minutes: number; active: boolean } | null;
  /** Minutes since anything was recorded, when known. */
  minutesAway: number | null;
  tasks: Array<{ id: string; title: string; next: { title: string; minutes: number | null } | null; done: number; total: number }>;
  episodes: Array<{ id: string; task: string; startedAt: number; last: { tool: string; action: string; result: string | null } | null }>;
  /** Summaries of the latest sessions in the project, newest first. */
  sessions: PackMemory[];
  preferences: PackMemory[];
  /** Facts and memories tagged `decision`, newest first. */
  decisions: PackMemory[];
  /** Other recent memories, newest first. */
  notes: PackMemory[];
  energy: { level: number; attention: string; at: number } | null;
  checkIns: Array<{ id: string; message: string }>;
  suggestion: string | null;
}

/** A rendered pack and what went into it. */
export interface ContextPack {
  /** The pack as Markdown-ish text, at most `budget` tokens. */
  text: string;
  /** Tokens of `text` (bytes ÷ 4). */
  tokens: number;
  budget: number;
  /** Ids of what made it in, by kind. */
  included: { tasks: string[]; episodes: string[]; memories: string[]; checkIns: string[] };
}

/** Memories relevant to one prompt, rendered. */
export interface PromptContext {
  text: string;
  tokens: number;
  /** The memories shown, best first, with their relevance (0..1). */
  memories: Array<{ id: string; namespace: string; relevance: number }>;
}
