import { z } from 'zod';
import { MAX_LIMITS, MAX_CODE_BYTES, MIN_LIMITS } from '../sandbox/limits.js';
import { guardJson, MAX_JSON_DEPTH } from '../src/json-guard.js';
import { defineTool } from './define-tool.js';

const limits = z.object({
  timeout_ms: z
    .number()
    .int()
    .min(MIN_LIMITS.timeout_ms)
    .max(MAX_LIMITS.timeout_ms)
    .optional()
    .describe('Deadline in ms, default 5000, at most 30000 (the server may allow less).'),
  memory_mb: z
    .number()
    .int()
    .min(MIN_LIMITS.memory_mb)
    .max(MAX_LIMITS.memory_mb)
    .optional()
    .describe('Heap limit in MB, default 64, at most 256 (small values still get about 10 MB).'),
});

/** `execute_agent_code`: runs agent-written JavaScript in the QuickJS sandbox (`app.sandbox`). */
export const executeAgentCode = defineTool({
  name: 'execute_agent_code',
  title: 'Run JavaScript in a sandbox',
  toolset: 'sandbox',
  description:
    'Run a short JavaScript program in an isolated QuickJS interpreter to filter, score, count or reshape data you already have ' +
    '(e.g. results of query_memory) instead of doing it by hand. The code is a script, not a module: no import/require, ' +
    'no files, network, process or timers beyond setTimeout. It sees a global `context` ({task, input}: a private copy of what you pass) ' +
    'and `console.log` (captured into stdout). The value of the last expression is the result — or, if it is a promise ' +
    '(e.g. an async IIFE), what it resolves to. The result must be JSON data; functions, BigInt, symbols or cycles are an error, ' +
    'undefined means no result. Returns {status: success|error|timeout|memory_limit, result, stdout, error: {name, message}, execution_time_ms}. ' +
    'Limits: code ≤ 100 KB, 5 s and 64 MB by default (limits.timeout_ms ≤ 30000, limits.memory_mb ≤ 256), result and stdout ≤ 1 MB each ' +
    '(longer ones are cut and marked). Each call starts fresh: nothing survives between calls. ' +
    'Example: {"code": "context.input.filter(r => r.score > 0.5).map(r => r.id)", "context": {"task": "keep strong hits", "input": [...]}}.',
  input: z.object({
    code: z.string().min(1).max(MAX_CODE_BYTES).describe('JavaScript source; the last expression is the result.'),
    context: z
      .object({
        task: z.string().max(10_000).describe('What the code is for, in words (visible as context.task).'),
        input: guardJson(z.unknown())
          .optional()
          .describe(`Any JSON data for the code (visible as context.input, default null), nested at most ${MAX_JSON_DEPTH} levels.`),
      })
      .describe('Data the code can read as the global `context`.'),
    limits: limits.optional().describe('Per-run limits; omit for the defaults.'),
  }),
  output: z.object({
    status: z.enum(['success', 'error', 'timeout', 'memory_limit']).describe('How the run ended.'),
    result: z.unknown().optional().describe('The JSON result on success; absent when the code produced undefined.'),
    stdout: z.string().describe('Captured console output, one line per call.'),
    error: z.object({ name: z.string(), message: z.string() }).optional().describe('What went wrong, when status is not success.'),
    execution_time_ms: z.number().describe('Time spent running the code (not queueing).'),
  }),
  // It reads nothing and writes nothing of Cairn's data; runs are not idempotent (Date, Math.random).
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  handler: (input, ctx) => ctx.services.sandbox.run(input, ctx.signal),
});
