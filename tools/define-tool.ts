import type { z } from 'zod';
import type { Sandbox } from '../sandbox/types.js';
import type { AdhdService } from '../src/adhd/types.js';
import type { AnalysisService } from '../src/analysis/types.js';
import type { Toolset } from '../src/config/toolsets.js';
import type { EpisodeService } from '../src/episodes/service.js';
import type { Logger } from '../src/logger.js';
import type { MemoryService } from '../src/memory/service.js';
import type { HealthService } from '../src/ops/health.js';
import type { Metrics } from '../src/ops/metrics.js';
import type { PatternService } from '../src/patterns/service.js';

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
  /** The namespace this session is bound to; tools never take it as an argument. */
  namespace: string;
  session: SessionHooks;
  logger: Logger;
  signal: AbortSignal;
}

/** Hints for clients, per the MCP tool annotations. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

/** A tool: name, schemas, annotations and a handler returning data matching `output`. */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** Written for a model deciding whether to call the tool. */
  description: string;
  toolset: Toolset;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  handler: (input: z.infer<I>, ctx: ToolContext) => Promise<z.infer<O>>;
}

/** Identity function that keeps the handler's input and output types tied to the schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}

/** A tool with its types erased, for registries. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input and output type
export type AnyTool = ToolDefinition<any, any>;
