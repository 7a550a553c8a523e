import { z } from 'zod';
import { DEFAULT_LIMITS, MAX_CODE_BYTES, MAX_LIMITS, MIN_LIMITS } from '../sandbox/limits.js';
import { guardJson } from '../src/json-guard.js';
import { withHeartbeat } from '../src/progress.js';
import { defineTool } from './define-tool.js';
import { cutToBytes } from './layer/shrink.js';

/** Console output a reply carries by default, in KB; the sandbox itself captures up to 1 MB. */
const STDOUT_KB = 32;

const limits = z.object({
  timeout_ms: z.number().int().min(MIN_LIMITS.timeout_ms).max(MAX_LIMITS.timeout_ms).optional().describe('Default 5000.'),
  memory_mb: z.number().int().min(MIN_LIMITS.memory_mb).max(MAX_LIMITS.memory_mb).optional().describe('Default 64.'),
  stdout_kb: z.number().int().min(1).max(1024).optional().describe(`Default ${STDOUT_KB}.`),
});

/** `execute_agent_code`: runs agent-written JavaScript in the QuickJS sandbox (`app.sandbox`). */
export const executeAgentCode = defineTool({
  name: 'execute_agent_code',
  title: 'Run JavaScript in a sandbox',
  toolset: 'sandbox',
  description:
    'Run JavaScript in an isolated QuickJS sandbox to filter, count or reshape data you have. It reads `context` ({task, input}); ' +
    'the last expression (or its promise) is the JSON result. No imports, files or network.',
  input: z.object({
    code: z.string().min(1).max(MAX_CODE_BYTES),
    context: z.object({
      task: z.string().max(10_000),
      input: guardJson(z.unknown()).optional(),
    }),
    limits: limits.optional(),
  }),
  output: z.object({
    status: z.enum(['success', 'error', 'timeout', 'memory_limit']),
    result: z.unknown().optional(),
    stdout: z.string(),
    error: z.object({ name: z.string(), message: z.string() }).optional(),
    execution_time_ms: z.number(),
  }),
  // It reads nothing and writes nothing of Cairn's data; runs are not idempotent (Date, Math.random).
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(input, ctx) {
    const { stdout_kb: stdoutKb = STDOUT_KB, ...sandboxLimits } = input.limits ?? {};
    const run = ctx.services.sandbox.run({ ...input, ...(input.limits ? { limits: sandboxLimits } : {}) }, ctx.signal);
    const out = await withHeartbeat(ctx.progress, run, {
      totalMs: input.limits?.timeout_ms ?? DEFAULT_LIMITS.timeout_ms,
      message: (ms) => `script running for ${(ms / 1000).toFixed(0)} s`,
    });
    const stdout = cutToBytes(out.stdout, stdoutKb * 1024, 'ends');
    if (!stdout.left) return out;
    return { ...out, stdout: stdout.text, truncated: true, omitted: { stdout: stdout.left }, hint: 'log less, or return the data as the result' };
  },
  reply: {
    shrink: [
      { text: 'stdout', keep: 'ends', min: 1000 },
      { text: 'result', keep: 'ends', min: 1000 },
    ],
    hint: 'log less and return a smaller result (aggregate inside the code)',
  },
});
