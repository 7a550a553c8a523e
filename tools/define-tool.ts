import { z } from 'zod';
import type { Sandbox } from '../sandbox/types.js';
import type { AdhdService } from '../src/adhd/types.js';
import type { AnalysisService } from '../src/analysis/types.js';
import type { Toolset } from '../src/config/toolsets.js';
import type { ContextService } from '../src/context/service.js';
import type { EpisodeService } from '../src/episodes/service.js';
import type { Logger } from '../src/logger.js';
import type { MemoryService } from '../src/memory/service.js';
import type { HealthService } from '../src/ops/health.js';
import type { Metrics } from '../src/ops/metrics.js';
import type { PatternService } from '../src/patterns/service.js';
import type { ProgressFn } from '../src/progress.js';
import type { NamespaceScope } from '../src/scope/types.js';
import type { ReplyPlan } from './layer/reply-budget.js';
import { strictInput } from './layer/strict-input.js';

/**
 * The services a tool may call. Only domain interfaces: no database, repository or SQL is
 * reachable from here, so a tool cannot bypass a service.
 */
export interface ToolServices {
  memory: MemoryService;
  episodes: EpisodeService;
  patterns: PatternService;
  analysis: AnalysisService;
  adhd: AdhdService;
  /** Budgeted context packs (`recover_context {max_tokens}`). */
  context: ContextService;
  sandbox: Sandbox;
  health: HealthService;
  /** Per-tool call counters and latencies of this process. */
  metrics: Metrics;
}

/** What the transport session offers a tool beyond the app: client capabilities and callbacks. */
export interface SessionHooks {
  /** True when the connected client declared the MCP `sampling` capability. */
  canSample(): boolean;
  /** Asks the client's model for a completion; rejects when the client cannot or refuses. */
  sample(prompt: string, options?: { maxTokens?: number; systemPrompt?: string; signal?: AbortSignal }): Promise<string>;
  /** Sends an MCP log notification to this client (no-op when unsupported). */
  notify(level: 'info' | 'warning' | 'error', data: unknown): Promise<void>;
}

/** Everything a handler may use. Handlers map wire input to a service call and its result back; they hold no SQL and no domain rule. */
export interface ToolContext {
  services: ToolServices;
  /**
   * The namespace the tool works in; tools never take it as an argument. The project's for the
   * memory, episodes and patterns toolsets; the global one for the ADHD, sandbox and ops toolsets
   * (tasks, energy and focus belong to the person, not to a project). One namespace when the
   * session has no project.
   */
  namespace: string;
  /** The session's project and global namespaces (equal when it has no project). */
  scope: NamespaceScope;
  session: SessionHooks;
  logger: Logger;
  signal: AbortSignal;
  /** Reports progress to the client when it asked for it (a `progressToken`); absent otherwise. */
  progress?: ProgressFn;
}

/** Hints for clients, per the MCP tool annotations. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

/**
 * A tool: name, schemas, annotations and a handler. The output schema tells clients the shape
 * (loosely where detail varies); `R` is what the handler really returns, a precise subtype of it.
 */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject, R extends z.output<O> = z.output<O>> {
  name: string;
  title: string;
  /** Written for a model deciding whether to call the tool: when to call it, in a few sentences. */
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** How the reply fits the reply budget; without a plan only the generic cuts apply. */
  reply?: ReplyPlan<z.infer<I>>;
  handler: (input: z.infer<I>, ctx: ToolContext) => Promise<R>;
}

/** Fields every reply may carry when the reply budget cut it (see tools/layer/reply-budget.ts). */
const budgetMarks = {
  truncated: z.boolean().optional(),
  /** Items of a list or characters of a text left out, by path. */
  omitted: z.object({}).catchall(z.number()).optional(),
  /** How to get the rest. */
  hint: z.string().optional(),
};

/**
 * Schemas are listed without `$schema`: MCP reads an undeclared dialect as JSON Schema 2020-12, and
 * these schemas mean the same there (no tuples or other draft-07-only forms; a test checks), so the
 * 50 bytes per schema are saved.
 */
const UNDECLARED_DIALECT = { $schema: undefined };

/**
 * Declares a tool, keeping the handler's input and output types tied to the schemas, and applies
 * the house rules: unknown input keys are errors with a suggestion (nested objects too), the
 * output schema admits the reply budget's `truncated`, `omitted` and `hint`, and neither schema
 * declares its dialect.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject, R extends z.output<O>>(def: ToolDefinition<I, O, R>): ToolDefinition<I, O, R> {
  const missing = Object.fromEntries(Object.entries(budgetMarks).filter(([k]) => !(k in def.output.shape)));
  return { ...def, input: strictInput(def.input).meta(UNDECLARED_DIALECT), output: def.output.extend(missing).meta(UNDECLARED_DIALECT) as unknown as O };
}

/** A tool with its types erased, for registries. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input and output type
export type AnyTool = ToolDefinition<any, any, any>;
