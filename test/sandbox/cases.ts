import type { RunLimits, RunResult, RunStatus } from '../../sandbox/types.js';

/** One hostile (or merely careless) script and the exact status it must end with. */
export interface AdversarialCase {
  name: string;
  code: string;
  limits?: Partial<RunLimits>;
  status: RunStatus;
  /** Extra expectations on the result (error name, truncation marker, …); throws on mismatch. */
  check?: (r: RunResult) => void;
}

/** Loops must hit a short deadline. */
const SHORT: Partial<RunLimits> = { timeout_ms: 250 };
/** Memory bombs get a small heap and a long deadline, so they always end as memory_limit. */
const BOMB: Partial<RunLimits> = { memory_mb: 8, timeout_ms: 20_000 };

const expectEq = (actual: unknown, expected: unknown, what: string) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};
const expectMatch = (actual: string | undefined, re: RegExp, what: string) => {
  if (!re.test(actual ?? '')) throw new Error(`${what}: ${JSON.stringify(actual?.slice(0, 200))} does not match ${re}`);
};
const errorName = (name: string) => (r: RunResult) => expectEq(r.error?.name, name, 'error.name');
const result = (value: unknown) => (r: RunResult) => expectEq(r.result, value, 'result');

/** The adversarial suite, shared by the sandbox-level and the MCP-level tests. */
export const ADVERSARIAL_CASES: AdversarialCase[] = [
  // Infinite loops, including ones that try to swallow the interrupt.
  { name: 'for(;;) loop', code: 'for (;;) {}', limits: SHORT, status: 'timeout', check: errorName('TimeoutError') },
  { name: 'while(true) loop', code: 'let i = 0; while (true) { i++ }', limits: SHORT, status: 'timeout' },
  { name: 'loop that catches the interrupt', code: 'for (;;) { try { for (;;) {} } catch (e) { /* keep going */ } }', limits: SHORT, status: 'timeout' },
  { name: 'loop that continues from finally', code: 'for (;;) { try { for (;;) {} } finally { continue } }', limits: SHORT, status: 'timeout' },
  { name: 'loop of thrown and caught errors', code: 'for (;;) { try { null.x } catch (e) {} }', limits: SHORT, status: 'timeout' },
  { name: 'async loop of awaits', code: '(async () => { for (;;) await null })()', limits: SHORT, status: 'timeout' },
  { name: 'endless promise job chain', code: 'function f() { return Promise.resolve().then(f) } f()', limits: SHORT, status: 'timeout' },
  { name: 'timer that re-arms itself', code: 'function f() { setTimeout(f, 0) } f(); 1', limits: SHORT, status: 'timeout' },
  { name: 'toJSON that never returns', code: '({ toJSON() { for (;;) {} } })', limits: SHORT, status: 'timeout' },
  { name: 'catastrophic regex backtracking', code: '/(a+)+$/.test("a".repeat(40) + "b")', limits: SHORT, status: 'timeout' },
  { name: 'sort comparator that spins', code: '[3, 1, 2].sort(() => { for (;;) {} })', limits: SHORT, status: 'timeout' },
  { name: 'thrown proxy whose getters spin', code: 'throw new Proxy({}, { get() { for (;;) {} } })', limits: SHORT, status: 'timeout' },
  {
    name: 'native loop that never checks the deadline (watchdog)',
    code: 'Array(2 ** 32 - 1).includes(1)',
    limits: SHORT,
    status: 'timeout',
    check: (r) => expectMatch(r.error?.message, /worker was terminated and replaced/, 'message'),
  },
  {
    name: 'console flood until the deadline',
    code: 'for (let i = 0; ; i++) console.log("line " + i)',
    limits: SHORT,
    status: 'timeout',
    check: (r) => expectMatch(r.stdout, /^line 0\n/, 'stdout'),
  },

  // Deep recursion and nesting.
  {
    name: 'unbounded recursion',
    code: 'function f() { return f() } f()',
    status: 'error',
    check: (r) => expectMatch(r.error?.message, /stack overflow/, 'message'),
  },
  { name: 'recursive getter', code: 'const o = { get a() { return this.a } }; o.a', status: 'error' },
  { name: 'recursive toString', code: 'const o = {}; o.toString = () => String(o); String(o)', status: 'error' },
  { name: 'deeply nested JSON.parse', code: 'JSON.parse("[".repeat(1e6))', status: 'error' },
  { name: 'deeply nested array turned to a string', code: 'let a = []; for (let i = 0; i < 1e5; i++) a = [a]; String(a)', status: 'error' },
  {
    name: 'result nested 600 levels deep',
    code: 'let a = []; for (let i = 0; i < 600; i++) a = [a]; a',
    status: 'error',
    check: (r) => expectMatch(r.error?.message, /nests 601 levels deep; at most 500/, 'message'),
  },
  { name: 'deeply nested source code', code: 'eval("(".repeat(1e5))', status: 'error' },

  // Memory bombs of every shape.
  {
    name: 'array of arrays',
    code: 'const a = []; for (;;) a.push(new Array(1e5).fill(1))',
    limits: BOMB,
    status: 'memory_limit',
    check: errorName('MemoryLimitError'),
  },
  { name: 'one huge string', code: '"x".repeat(2 ** 28)', limits: BOMB, status: 'memory_limit' },
  { name: 'many distinct strings', code: 'const a = []; for (let i = 0; ; i++) a.push("x".repeat(10000) + i)', limits: BOMB, status: 'memory_limit' },
  { name: 'object with endless keys', code: 'const o = {}; for (let i = 0; ; i++) o["k" + i] = i', limits: BOMB, status: 'memory_limit' },
  { name: 'endless Map', code: 'const m = new Map(); for (let i = 0; ; i++) m.set(i, { i })', limits: BOMB, status: 'memory_limit' },
  { name: 'one huge typed array', code: 'new Uint8Array(1e9)', limits: BOMB, status: 'memory_limit' },
  { name: 'many typed arrays', code: 'const a = []; for (;;) a.push(new Float64Array(1e5))', limits: BOMB, status: 'memory_limit' },
  { name: '2 GB ArrayBuffer', code: 'new ArrayBuffer(2 ** 31 - 1)', limits: BOMB, status: 'memory_limit' },
  { name: 'spread of an endless generator', code: 'function* g() { for (;;) yield 1 } [...g()]', limits: BOMB, status: 'memory_limit' },
  {
    name: 'memory bomb inside a promise job (upstream #257)',
    code: '(async () => { await 0; const a = []; for (;;) a.push([{}, {}, {}, {}]) })()',
    limits: { memory_mb: 4, timeout_ms: 20_000 },
    status: 'memory_limit',
  },
  {
    name: 'caught out-of-memory, then recovery',
    code: 'let n = 0; try { const a = []; for (;;) a.push(new Array(1e4).fill(0)) } catch (e) { n = 1 } n',
    limits: BOMB,
    status: 'success',
    check: result(1),
  },

  // Huge output and huge results.
  {
    name: 'huge console output',
    code: 'for (let i = 0; i < 1e5; i++) console.log("x".repeat(100)); "done"',
    status: 'success',
    check: (r) => {
      expectMatch(r.stdout, /\[stdout truncated: console output exceeded 1048576 bytes\]$/, 'stdout');
      if (Buffer.byteLength(r.stdout) > 1024 * 1024 + 100) throw new Error(`stdout is ${r.stdout.length} bytes`);
    },
  },
  {
    name: 'huge string result',
    code: '"y".repeat(3e6)',
    status: 'success',
    check: (r) => expectMatch(r.result as string, /^"y{100}.*…\[result truncated: its JSON exceeded 1048576 bytes; return less data\]$/s, 'result'),
  },
  {
    name: 'huge array result',
    code: 'Array.from({ length: 6e4 }, (_, i) => ({ i, s: "row" + i }))',
    limits: { timeout_ms: 20_000 },
    status: 'success',
    check: (r) => expectMatch(r.result as string, /^\[\{"i":0,"s":"row0"\}.*\[result truncated/s, 'result'),
  },
  {
    name: 'huge object logged',
    code: 'console.log(Array.from({ length: 2e5 }, (_, i) => i)); 1',
    limits: { timeout_ms: 20_000 },
    status: 'success',
    check: (r) => expectMatch(r.stdout, /stdout truncated/, 'stdout'),
  },

  // Reaching for the host.
  { name: 'process', code: 'process.exit(1)', status: 'error', check: errorName('ReferenceError') },
  { name: 'require', code: 'require("child_process").execSync("id")', status: 'error', check: errorName('ReferenceError') },
  { name: 'dynamic import()', code: 'import("fs")', status: 'error', check: (r) => expectMatch(r.error?.message, /could not load module/, 'message') },
  { name: 'static import', code: 'import fs from "fs"; fs.readFileSync("/etc/passwd")', status: 'error', check: errorName('SyntaxError') },
  { name: 'constructor chain to Function', code: 'this.constructor.constructor("return process")().env', status: 'error', check: errorName('ReferenceError') },
  { name: 'Function("return this") sees no host', code: 'typeof Function("return this")().process', status: 'success', check: result('undefined') },
  { name: 'computed eval name', code: 'globalThis["ev" + "al"]("typeof require + typeof process")', status: 'success', check: result('undefinedundefined') },
  {
    name: 'no host globals at all',
    code: 'Object.getOwnPropertyNames(globalThis).filter((k) => /^(process|require|module|Buffer|fetch|WebAssembly|Atomics|std|os|setInterval|XMLHttpRequest)$/.test(k))',
    status: 'success',
    check: result([]),
  },
  {
    name: 'overwritten built-ins only spoil the script',
    code: 'JSON.stringify = () => "\\"hacked\\""; Array.prototype.join = null; String.prototype.slice = null; console.log("still", 1); ({ ok: true })',
    status: 'success',
    check: (r) => {
      expectEq(r.result, { ok: true }, 'result');
      expectEq(r.stdout, 'still 1\n', 'stdout');
    },
  },
  {
    name: 'proxy as the global prototype',
    code: 'Object.setPrototypeOf(globalThis, new Proxy({}, { get() { throw new Error("trap") } })); setTimeout(() => console.log("t"), 1); 1',
    status: 'success',
    check: result(1),
  },
  {
    name: 'proxy result with throwing traps',
    code: 'new Proxy({}, { ownKeys() { throw new Error("trap") } })',
    status: 'error',
    check: (r) => expectMatch(r.error?.message, /trap/, 'message'),
  },
  {
    name: 'Symbol.toPrimitive trap on the result',
    code: '({ [Symbol.toPrimitive]() { throw new Error("x") }, a: 1 })',
    status: 'success',
    check: result({ a: 1 }),
  },
  {
    name: 'hijacked Promise.prototype.then',
    code: 'Promise.prototype.then = function () { for (;;) {} }; Promise.resolve(1)',
    limits: SHORT,
    status: 'success',
    check: result(1),
  },

  // Results that are not JSON.
  {
    name: 'function result',
    code: '() => 1',
    status: 'error',
    check: (r) => expectMatch(r.error?.message, /not JSON-serialisable: the result itself is a function/, 'message'),
  },
  { name: 'cyclic result', code: 'const a = {}; a.self = a; a', status: 'error', check: errorName('TypeError') },
  { name: 'BigInt result', code: '({ n: 10n })', status: 'error', check: (r) => expectMatch(r.error?.message, /key "n" is a bigint/, 'message') },
  { name: 'Symbol result', code: 'Symbol("s")', status: 'error', check: errorName('TypeError') },
  { name: 'undefined result', code: 'undefined', status: 'success', check: (r) => expectEq('result' in r, false, 'has result') },
  { name: 'NaN result', code: 'NaN', status: 'success', check: result(null) },

  // Promises.
  {
    name: 'returned rejected promise',
    code: 'Promise.reject(new RangeError("boom"))',
    status: 'error',
    check: (r) => expectEq(r.error, { name: 'RangeError', message: 'boom' }, 'error'),
  },
  { name: 'async function that throws', code: '(async () => { await null; throw new TypeError("nope") })()', status: 'error', check: errorName('TypeError') },
  {
    name: 'promise that never settles',
    code: 'new Promise(() => {})',
    status: 'error',
    check: (r) => expectMatch(r.error?.message, /never settled/, 'message'),
  },
  { name: 'unhandled rejection of a detached promise', code: 'Promise.reject(new Error("ignored")); "done"', status: 'success', check: result('done') },
  {
    name: 'timers on the virtual clock',
    code: 'new Promise((r) => { setTimeout(() => r("late"), 50); setTimeout(() => console.log("first"), 10) })',
    status: 'success',
    check: (r) => {
      expectEq(r.result, 'late', 'result');
      expectEq(r.stdout, 'first\n', 'stdout');
    },
  },

  // Not JavaScript.
  { name: 'syntax error', code: 'function (', status: 'error', check: errorName('SyntaxError') },
  { name: 'thrown string', code: 'throw "plain string"', status: 'error', check: (r) => expectMatch(r.error?.message, /plain string/, 'message') },
  { name: 'TypeScript is not JavaScript', code: 'const x: number = 1; x', status: 'error', check: errorName('SyntaxError') },
];
