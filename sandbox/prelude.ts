/**
 * JavaScript evaluated inside each fresh QuickJS context before the agent's code.
 *
 * It is a function of the host's single `write(line) → full` function and the context JSON. It
 * defines the globals the script may use (`context`, `console`, `setTimeout`, `clearTimeout`,
 * `queueMicrotask`) and returns three helpers that only the host holds:
 * - `tick()` runs the earliest pending timer; false when none is left. Timers run on a virtual
 *   clock once the job queue is empty: delays order them but are never waited out.
 * - `serialize(value, maxChars)` → JSON text, `undefined` for `undefined`, or a prefix of
 *   `maxChars + 1` characters when the text is longer (the host then truncates). Functions,
 *   symbols and BigInts anywhere in the value throw a TypeError naming where.
 * - `describe(thrown)` → `JSON.stringify([name, message])` of anything thrown, never throwing.
 *
 * Built-ins are captured up front so a script that overwrites `JSON`, `String` or prototypes
 * only spoils its own output, never the host's view of it.
 */
export const PRELUDE = String.raw`(function (write, contextJson) {
  'use strict';
  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply;
  const Str = String, slice = String.prototype.slice, join = Array.prototype.join, isArray = Array.isArray;
  const ErrorCtor = Error, TypeErrorCtor = TypeError, defineProperty = Object.defineProperty;
  let full = false;

  const show = (v) => {
    try {
      switch (typeof v) {
        case 'string': return v;
        case 'undefined': return 'undefined';
        case 'function': return '[Function' + (v.name ? ': ' + Str(v.name) : '') + ']';
        case 'symbol': return Str(v);
        case 'bigint': return Str(v) + 'n';
        case 'object':
          if (v instanceof ErrorCtor) return Str(v.name) + ': ' + Str(v.message);
          return stringify(v, (k, x) => (typeof x === 'bigint' ? Str(x) + 'n' : x)) ?? Str(v);
        default: return Str(v);
      }
    } catch (e) {
      try { return Str(v); } catch (e2) { return '[unprintable]'; }
    }
  };
  const out = function () {
    if (full) return;
    const parts = [];
    for (let i = 0; i < arguments.length; i++) parts[i] = show(arguments[i]);
    full = write(apply(join, parts, [' ']) + '\n');
  };
  const console = {};
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace']) console[name] = out;
  defineProperty(globalThis, 'console', { value: console, writable: true, configurable: true });
  defineProperty(globalThis, 'context', { value: parse(contextJson), writable: true, configurable: true });

  const timers = [];
  let seq = 0, now = 0;
  const setTimeout = function (fn, ms) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('setTimeout needs a function as its first argument');
    const args = [];
    for (let i = 2; i < arguments.length; i++) args[args.length] = arguments[i];
    const delay = +ms > 0 ? +ms : 0;
    const id = ++seq;
    timers[timers.length] = { id, at: now + delay, fn, args };
    return id;
  };
  const clearTimeout = (id) => {
    for (let i = 0; i < timers.length; i++) if (timers[i].id === id) { timers.splice(i, 1); return; }
  };
  defineProperty(globalThis, 'setTimeout', { value: setTimeout, writable: true, configurable: true });
  defineProperty(globalThis, 'clearTimeout', { value: clearTimeout, writable: true, configurable: true });
  defineProperty(globalThis, 'queueMicrotask', {
    value: (fn) => { Promise.resolve().then(() => fn()); },
    writable: true, configurable: true,
  });

  const tick = () => {
    if (timers.length === 0) return false;
    let best = 0;
    for (let i = 1; i < timers.length; i++) if (timers[i].at < timers[best].at) best = i;
    const t = timers.splice(best, 1)[0];
    now = t.at;
    apply(t.fn, undefined, t.args);
    return true;
  };

  const path = (key) => (key === '' ? 'the result itself' : 'key ' + stringify(key));
  const strict = (key, value) => {
    const t = typeof value;
    if (t === 'function' || t === 'symbol' || t === 'bigint') {
      throw new TypeErrorCtor('the result is not JSON-serialisable: ' + path(key) + ' is a ' + t +
        '; return plain data (objects, arrays, strings, numbers, booleans, null)');
    }
    return value;
  };
  const serialize = (value, maxChars) => {
    const text = stringify(value, strict);
    if (typeof text !== 'string') return undefined;
    return text.length > maxChars ? apply(slice, text, [0, maxChars + 1]) : text;
  };

  const describe = (thrown) => {
    let name = 'Error', message = '';
    try {
      if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
        name = Str(thrown.name ?? 'Error');
        message = Str(thrown.message ?? '');
      } else {
        name = 'Error';
        message = 'uncaught ' + show(thrown);
      }
    } catch (e) {
      message = 'uncaught exception that could not be described';
    }
    return stringify([apply(slice, name, [0, 200]), apply(slice, message, [0, 4000])]);
  };

  return [tick, serialize, describe];
})`;
