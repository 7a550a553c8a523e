import { expect } from 'vitest';
import type { CairnErrorCode } from '../../src/errors.js';

/**
 * `expect(x).toBeCairnError(code?, /message/?)`: `x` is a thrown CairnError, a tool error result
 * (`{isError: true, content: [{text: 'CODE: message'}]}`) or that text. The code must match
 * exactly and the pattern must match the message (after `CODE: `). Registered for every test file
 * through `setupFiles` in test/vitest.config.ts.
 */
interface CairnErrorMatchers<R = unknown> {
  toBeCairnError(code?: CairnErrorCode, message?: RegExp): R;
}

declare module 'vitest' {
  interface Matchers<T> extends CairnErrorMatchers<T> {}
  interface AsymmetricMatchersContaining extends CairnErrorMatchers {}
}

/** The code and message a value carries, or null when it is not a coded Cairn failure. */
export function cairnFailure(value: unknown): { code: string; message: string } | null {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return value.name === 'CairnError' && typeof code === 'string' ? { code, message: value.message } : null;
  }
  const result = value as { isError?: unknown; content?: Array<{ text?: unknown }> } | null;
  const text = typeof value === 'string' ? value : result?.isError === true ? (result.content ?? []).map((c) => String(c.text ?? '')).join('\n') : null;
  const m = text === null ? null : /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/.exec(text);
  return m ? { code: m[1]!, message: m[2]! } : null;
}

expect.extend({
  toBeCairnError(received: unknown, code?: CairnErrorCode, message?: RegExp) {
    const got = cairnFailure(received);
    const pass = got !== null && (code === undefined || got.code === code) && (message === undefined || message.test(got.message));
    const wanted = `a Cairn error${code ? ` with code ${this.utils.printExpected(code)}` : ''}${message ? ` and a message matching ${this.utils.printExpected(message)}` : ''}`;
    return {
      pass,
      message: () => `expected ${this.utils.printReceived(got ?? received)} ${pass ? 'not ' : ''}to be ${wanted}`,
    };
  },
});
