import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { jsonDepth, MAX_RESULT_DEPTH, truncateUtf8 } from './limits.js';
import { createOutput } from './output.js';
import { PRELUDE } from './prelude.js';
import type { RunResult, WorkerJob } from './types.js';

/** A RunResult before its timing is known. */
export type Draft = Omit<RunResult, 'execution_time_ms'>;

/** Extra QuickJS heap granted after a failure, so the host can still ask the error for its name. */
const HEADROOM_BYTES = 1024 * 1024;
/** A module whose WASM heap is this close to its maximum could not grow any further. */
const NEAR_CAP_BYTES = 2 * 1024 * 1024;

/**
 * Runs one job on a fresh runtime and context of `module`, then disposes every handle, the
 * context and the runtime. `broken` is set when the module must not be used again: the dispose
 * failed (upstream #257) or the interpreter threw on the host side (e.g. a V8 stack overflow
 * that unwound through WASM frames).
 */
export function runOnModule(module: QuickJSWASMModule, job: WorkerJob, capBytes: number): { result: Draft; broken?: string } {
  const output = createOutput(job.maxStdoutBytes);
  const handles: QuickJSHandle[] = [];
  let rt: QuickJSRuntime | undefined;
  let ctx: QuickJSContext | undefined;
  let result: Draft;
  let broken: string | undefined;
  try {
    rt = module.newRuntime();
    rt.setMaxStackSize(job.stackBytes);
    rt.setMemoryLimit(job.memoryBytes);
    const deadline = Date.now() + job.timeoutMs;
    const flags = { interrupted: false };
    // Once past the deadline every check says stop, so nothing the script does afterwards runs.
    rt.setInterruptHandler(() => (flags.interrupted ||= Date.now() > deadline));
    ctx = rt.newContext();
    const c = ctx;
    const write = c.newFunction('write', (line) => (output.append(c.getString(line)) ? c.true : c.false));
    handles.push(write);
    const nearCap = () => module.getWasmMemory().buffer.byteLength + NEAR_CAP_BYTES >= capBytes;
    result = new Run(rt, c, job, deadline, flags, handles, output.text, nearCap).execute(write);
  } catch (err) {
    broken = `interpreter failed: ${describeHostError(err)}`;
    result = { status: 'error', stdout: output.text(), error: hostFailure(err) };
  }
  for (const h of handles) {
    try {
      if (h.alive) h.dispose();
    } catch (err) {
      broken ??= `handle dispose failed: ${describeHostError(err)}`;
    }
  }
  try {
    ctx?.dispose();
    rt?.dispose();
  } catch (err) {
    broken ??= `runtime dispose failed: ${describeHostError(err)}`;
  }
  return broken ? { result, broken } : { result };
}

/** One script run on a prepared runtime and context. Every handle it creates goes to `handles`. */
class Run {
  private describeFn: QuickJSHandle | undefined;

  constructor(
    private readonly rt: QuickJSRuntime,
    private readonly ctx: QuickJSContext,
    private readonly job: WorkerJob,
    private readonly deadline: number,
    private readonly flags: { interrupted: boolean },
    private readonly handles: QuickJSHandle[],
    private readonly stdout: () => string,
    private readonly nearCap: () => boolean,
  ) {}

  execute(write: QuickJSHandle): Draft {
    const { ctx } = this;
    const prelude = ctx.evalCode(PRELUDE, 'cairn:prelude', { type: 'global', strict: true });
    if (prelude.error) return this.failure(this.keep(prelude.error));
    const contextJson = this.keep(ctx.newString(this.job.contextJson));
    const made = ctx.callFunction(this.keep(prelude.value), ctx.undefined, write, contextJson);
    if (made.error) return this.failure(this.keep(made.error));
    const api = this.keep(made.value);
    const tick = this.keep(ctx.getProp(api, 0));
    const serialize = this.keep(ctx.getProp(api, 1));
    this.describeFn = this.keep(ctx.getProp(api, 2));

    const evaluated = ctx.evalCode(this.job.code, 'agent.js', { type: 'global' });
    if (evaluated.error) return this.failure(this.keep(evaluated.error));
    const value = this.keep(evaluated.value);
    const isPromise = this.settle(value).type !== 'value';

    const stopped = this.pump(tick, value, isPromise);
    if (stopped) return stopped;
    // An interrupt inside a job may surface only as a rejected or forever-pending promise.
    if (this.flags.interrupted) return this.timeout();

    const final = this.settle(value);
    if (final.type === 'pending') {
      return this.draft('error', { name: 'Error', message: 'the returned promise never settled: no jobs or timers were left to settle it' });
    }
    if (final.type === 'rejected') return this.failure(final.handle);
    const limit = this.keep(ctx.newNumber(this.job.maxResultBytes));
    const serialized = ctx.callFunction(serialize, ctx.undefined, final.handle, limit);
    if (serialized.error) return this.failure(this.keep(serialized.error));
    const text = this.keep(serialized.value);
    if (this.flags.interrupted) return this.timeout();
    if (ctx.typeof(text) !== 'string') return this.draft('success');
    const json = ctx.getString(text);
    const depth = jsonDepth(json);
    if (depth > MAX_RESULT_DEPTH) {
      return this.draft('error', { name: 'TypeError', message: `the result nests ${depth} levels deep; at most ${MAX_RESULT_DEPTH} are accepted` });
    }
    return { status: 'success', result: decodeResult(json, this.job.maxResultBytes), stdout: this.stdout() };
  }

  private keep(h: QuickJSHandle): QuickJSHandle {
    this.handles.push(h);
    return h;
  }

  /** The state of a (possibly non-promise) value; a settled promise's value or reason is kept. */
  private settle(value: QuickJSHandle): { type: 'pending' } | { type: 'value' | 'fulfilled' | 'rejected'; handle: QuickJSHandle } {
    const s = this.ctx.getPromiseState(value);
    if (s.type === 'pending') return { type: 'pending' };
    if (s.type === 'rejected') return { type: 'rejected', handle: this.keep(s.error) };
    if (s.notAPromise) return { type: 'value', handle: value };
    return { type: 'fulfilled', handle: this.keep(s.value) };
  }

  /** Runs jobs, then timers, until the returned promise settles or nothing is left to run. */
  private pump(tick: QuickJSHandle, value: QuickJSHandle, isPromise: boolean): Draft | undefined {
    const { ctx, rt } = this;
    for (;;) {
      if (Date.now() > this.deadline) {
        this.flags.interrupted = true;
        return this.timeout();
      }
      const jobs = rt.executePendingJobs();
      if (jobs.error) return this.failure(this.keep(jobs.error));
      if (isPromise && this.settle(value).type !== 'pending') return undefined;
      if (rt.hasPendingJob()) continue;
      const ran = ctx.callFunction(tick, ctx.undefined);
      if (ran.error) return this.failure(this.keep(ran.error));
      if (ctx.typeof(this.keep(ran.value)) !== 'boolean' || !ctx.dump(ran.value)) return undefined;
    }
  }

  /** Turns a thrown value into a status: deadline → timeout, exhausted heap → memory_limit. */
  private failure(thrown: QuickJSHandle): Draft {
    if (this.flags.interrupted) return this.timeout();
    const { ctx } = this;
    // QuickJS throws null when it cannot even allocate the "out of memory" error.
    if (ctx.typeof(thrown) === 'object' && ctx.sameValue(thrown, ctx.null)) return this.outOfMemory();
    this.rt.setMemoryLimit(this.job.memoryBytes + HEADROOM_BYTES);
    const described = this.describeFn ? ctx.callFunction(this.describeFn, ctx.undefined, thrown) : undefined;
    if (!described || described.error) {
      if (described?.error) this.keep(described.error);
      if (this.flags.interrupted) return this.timeout();
      if (this.nearCap()) return this.outOfMemory();
      return this.draft('error', { name: 'Error', message: 'the script threw a value that could not be described' });
    }
    const text = this.keep(described.value);
    const [name, message] = JSON.parse(ctx.getString(text)) as [string, string];
    if (name === 'InternalError' && (message === 'out of memory' || (message === '' && this.nearCap()))) return this.outOfMemory();
    return this.draft('error', { name, message });
  }

  private outOfMemory(): Draft {
    const mb = Math.round(this.job.memoryBytes / (1024 * 1024));
    return this.draft('memory_limit', { name: 'MemoryLimitError', message: `script ran out of memory: its heap is limited to ${mb} MB` });
  }

  private timeout(): Draft {
    return this.draft('timeout', { name: 'TimeoutError', message: `script exceeded its ${this.job.timeoutMs} ms deadline and was stopped` });
  }

  private draft(status: Draft['status'], error?: Draft['error']): Draft {
    return error ? { status, stdout: this.stdout(), error } : { status, stdout: this.stdout() };
  }
}

/** JSON text from the sandbox → a value; text over the limit comes back as a cut, marked string. */
function decodeResult(text: string, maxBytes: number): unknown {
  if (text.length <= maxBytes && Buffer.byteLength(text, 'utf8') <= maxBytes) return JSON.parse(text);
  return `${truncateUtf8(text, maxBytes)}…[result truncated: its JSON exceeded ${maxBytes} bytes; return less data]`;
}

/** What the client sees when the interpreter itself failed on the host side. */
function hostFailure(err: unknown): { name: string; message: string } {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { name: 'RangeError', message: 'stack overflow: the script nested or recursed too deeply' };
  }
  return { name: 'SandboxError', message: 'the interpreter failed while running the script; it has been replaced' };
}

function describeHostError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
